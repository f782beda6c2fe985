package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestrictedUnpicklerTest {
    @TempDir
    Path tmp;

    @Test
    void osSystemInACheckpointIsRefusedAndNothingRuns() throws IOException {
        Path marker = tmp.resolve("pwned");
        byte[] pickle = new PickleBytes().proto(2).global("os", "system").str("touch " + marker)
                .op(0x85, 'R', '.').bytes(); // os.system(("touch ...",))
        Path file = tmp.resolve("evil.bin");
        ZipBytes.torch("archive", pickle, Map.of()).write(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertFalse(Files.exists(marker), "the command must not have run");
    }

    @ParameterizedTest
    @CsvSource({"builtins,eval", "__builtin__,getattr", "subprocess,Popen", "posix,system", "torch,load",
            "torch._utils,_rebuild_device_tensor_from_numpy", "collections,defaultdict"})
    void foreignGlobalIsRefusedByName(String module, String name) {
        byte[] pickle = new PickleBytes().proto(2).global(module, name).str("1+1").op(0x85, 'R', '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle));
        assertTrue(e.getMessage().contains("'" + module + "." + name + "'"), e.getMessage());
    }

    @Test
    void stackGlobalIsCheckedLikeGlobal() {
        byte[] pickle = new PickleBytes().proto(4).shortStr("posix").shortStr("system").op(0x93)
                .shortStr("id").op(0x85, 'R', '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle));
        assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
    }

    @Test
    void storageTypeCannotBeCalled() {
        byte[] pickle = new PickleBytes().proto(2).global("torch", "FloatStorage").op(')', 'R', '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle));
        assertTrue(e.getMessage().contains("torch.FloatStorage"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"0x69,INST", "0x6f,OBJ", "0x81,NEWOBJ", "0x53,STRING", "0xff,unassigned"})
    void opcodesTorchSaveNeverWritesAreRefused(String hex, String what) {
        int op = Integer.decode(hex);
        byte[] pickle = new PickleBytes().proto(2).op(op).op('.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle), what);
        assertTrue(e.getMessage().contains("opcode 0x" + Integer.toHexString(op)), e.getMessage());
    }

    @Test
    void truncatedPickleIsAnError() {
        byte[] whole = TorchZipCheckpointTest.stateDict(Map.of("w",
                b -> b.tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})));
        for (int cut : new int[] {1, 3, whole.length / 2, whole.length - 1}) {
            byte[] part = Arrays.copyOf(whole, cut);
            CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", part));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("underflow")
                    || e.getMessage().contains("without STOP"), e.getMessage());
        }
    }

    @Test
    void hugeDeclaredLengthsAreErrorsNotAllocations() {
        byte[] unicode = new PickleBytes().proto(2).op('X').int32(Integer.MAX_VALUE).op('a', 'b').bytes();
        byte[] unicode8 = new PickleBytes().proto(4).op(0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).bytes();
        byte[] long1 = new PickleBytes().proto(2).op(0x8a, 200).bytes();
        byte[] frame = new PickleBytes().proto(4).op(0x95, 0, 0, 0, 0, 0, 0, 0, 1).op('N', '.').bytes();
        for (byte[] p : List.of(unicode, unicode8, long1, frame)) {
            assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", p));
        }
    }

    @Test
    void reduceOnAnEmptyStackIsAnError() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> RestrictedUnpickler.load("t", new PickleBytes().proto(2).op('R', '.').bytes()));
        assertTrue(e.getMessage().contains("stack underflow"), e.getMessage());
    }

    @Test
    void memoReadBeforeWriteIsAnError() {
        byte[] pickle = new PickleBytes().proto(2).op('j', 0xff, 0xff, 0xff, 0x7f, '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle));
        assertTrue(e.getMessage().contains("memo"), e.getMessage());
    }

    @Test
    void plainValuesDecodeAsPythonWouldReadThem() {
        // {'a': [1, 300, 70000, -2, -129 (LONG1), 1.5, True, False, None, 'é'], 'b': ('x', 'x')} with memo reuse
        byte[] pickle = new PickleBytes().proto(2).op('}', 'q', 0).mark()
                .str("a").op(']', 'q', 1).mark()
                .integer(1).integer(300).integer(70000).binint(-2).op(0x8a, 2, 0x7f, 0xff)
                .op('G', 0x3f, 0xf8, 0, 0, 0, 0, 0, 0).op(0x88, 0x89, 'N').str("é").op('e')
                .str("b").str("x").op('q', 2, 'h', 2, 0x86)
                .op('u', '.').bytes();
        Object root = RestrictedUnpickler.load("t", pickle);
        assertTrue(root instanceof Map<?, ?>);
        Map<?, ?> d = (Map<?, ?>) root;
        List<?> a = (List<?>) d.get("a");
        assertEquals(List.of(1L, 300L, 70000L, -2L, -129L, 1.5, true, false), a.subList(0, 8));
        assertNull(a.get(8));
        assertEquals("é", a.get(9));
        assertEquals(List.of("x", "x"), d.get("b"));
    }

    @Test
    void orderedDictWithMetadataStateLoadsLikeTorchSavedStateDicts() {
        // collections.OrderedDict() then SETITEMS then BUILD {'_metadata': {}} (what nn.Module.state_dict() pickles)
        byte[] pickle = new PickleBytes().proto(2).global("collections", "OrderedDict").op(')', 'R')
                .mark().str("k").integer(7).op('u')
                .op('}').str("_metadata").op('}', 's', 'b', '.').bytes();
        assertEquals(Map.of("k", 7L), RestrictedUnpickler.load("t", pickle));
    }
}
