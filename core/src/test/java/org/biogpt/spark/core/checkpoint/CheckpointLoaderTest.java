package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLoaderTest {
    @TempDir
    Path dir;

    @Test
    void safetensorsIsPreferredOverBin() {
        Path model = Fixtures.model("causal-lm");
        assertEquals(CheckpointLoader.Format.SAFETENSORS, CheckpointLoader.detect(model));
        try (StateDict sd = CheckpointLoader.open(model)) {
            assertInstanceOf(SafetensorsFile.class, sd);
        }
    }

    @Test
    void binAloneIsOpened() throws IOException {
        Files.copy(Fixtures.model("causal-lm").resolve("pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        try (StateDict sd = CheckpointLoader.open(dir)) {
            assertInstanceOf(TorchZipCheckpoint.class, sd);
            assertTrue(sd.names().contains("output_projection.weight"));
        }
    }

    @Test
    void forcingTheBinFormatOpensItEvenWhenSafetensorsExists() {
        try (StateDict sd = CheckpointLoader.open(Fixtures.model("causal-lm"), CheckpointLoader.Format.PYTORCH_BIN)) {
            assertInstanceOf(TorchZipCheckpoint.class, sd);
        }
    }

    @Test
    void noWeightsListsWhatWasLookedFor() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointLoader.open(dir));
        for (String f : new String[] {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json"}) {
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
    }

    @Test
    void forcedFormatThatIsAbsentIsAnError() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CheckpointLoader.open(dir, CheckpointLoader.Format.SAFETENSORS_SHARDED));
        assertTrue(e.getMessage().contains("no model.safetensors.index.json"), e.getMessage());
    }

    @Test
    void missingDirectoryIsAnError() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CheckpointLoader.open(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }
}
