package org.biogpt.spark.core.checkpoint;

/**
 * A persistent id of a {@code torch.save} pickle, {@code ('storage', type, key, location, numel)}:
 * the storage's bytes are the archive record {@code data/<key>}.
 */
record StorageRef(String key, TorchStorageType type, String location, long numel) {
}
