package org.biogpt.spark.jobs.hub;

/**
 * One file of a Hub repository as its listing describes it: path, size, and the checksum to verify
 * it with: the LFS sha256 for large files, else the git blob id (sha1 of {@code "blob <size>\0" + bytes}).
 */
public record HubFile(String path, long size, String lfsSha256, String gitBlobId) {
    public boolean hasChecksum() {
        return lfsSha256 != null || gitBlobId != null;
    }
}
