package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken safetensors files, written byte by byte: each is a clear CheckpointException. */
class SafetensorsFileTest {
    @TempDir
    Path tmp;

    @Test
    void handWrittenFileReads() throws IOException {
        Path f = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, 1f, 2f);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {1f, 2f}, sf.readFloats("a"));
        }
    }

    @Test
    void headerLengthLongerThanTheFile() throws IOException {
        Path f = tmp.resolve("h.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000L).array());
        assertMessage(f, "header length 1000000");
    }

    @Test
    void hugeHeaderLengthIsNotAllocated() throws IOException {
        Path f = tmp.resolve("h.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertMessage(f, "header length");
    }

    @Test
    void negativeOffsets() throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8, 1f, 2f),
                "invalid data_offsets");
    }

    @Test
    void overlappingOffsets() throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, 1f, 2f), "overlapping");
    }

    @ParameterizedTest
    @CsvSource({"I64", "F8_E4M3", "F64", "nonsense"})
    void unknownDtype(String dtype) throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":\"" + dtype + "\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, 1f, 2f),
                "unsupported dtype " + dtype);
    }

    @Test
    void truncatedData() throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, 1f, 2f),
                "truncated");
    }

    @Test
    void sizeNotMatchingShape() throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, 1f, 2f),
                "needs 12");
    }

    @Test
    void badJson() throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":", 8), "not valid JSON");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertMessage(file("[1,2,3]", 8), "must be a JSON object");
    }

    @Test
    void entryMissingFields() throws IOException {
        assertMessage(file("{\"a\":{\"dtype\":\"F32\"}}", 8), "needs dtype, shape and data_offsets");
    }

    @Test
    void tooShortToHaveAHeader() throws IOException {
        Path f = tmp.resolve("s.safetensors");
        Files.write(f, new byte[3]);
        assertMessage(f, "not a safetensors file");
    }

    /** A file with the given header (padded to {@code align}) followed by float32 data. */
    private Path file(String header, int align, float... data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + align - 1) / align * align;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        for (float x : data) {
            b.putFloat(x);
        }
        Path f = Files.createTempFile(tmp, "t", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static void assertMessage(Path f, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(f).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
