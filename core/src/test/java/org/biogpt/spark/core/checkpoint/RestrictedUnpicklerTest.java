package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
            "torch._utils,_rebuild_device_tensor_from_numpy", "collections,defaultdict",
            "numpy.core.multiarray,_reconstruct", "numpy,load", "numpy,ndarray", "numpy.lib.format,read_array",
            "argparse,ArgumentParser", "_codecs,decode", "codecs,encode", "copyreg,_reconstructor",
            "copy_reg,_reconstructor", "builtins,getattr"})
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
    @CsvSource({"0x69,INST", "0x6f,OBJ", "0x92,NEWOBJ_EX", "0x53,STRING", "0xff,unassigned"})
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

    /** numpy.core.multiarray.scalar(numpy.dtype('f8') with state (3, '<', ...), _codecs.encode(text, 'latin1')). */
    private static PickleBytes numpyScalar(PickleBytes p, String module, String type, String order, byte[] raw) {
        p.global(module, "scalar").global("numpy", "dtype").str(type).op(0x89, 0x88, 0x87, 'R')
                .mark().integer(3).str(order).op('N', 'N', 'N').binint(-1).binint(-1).integer(0).op('t', 'b');
        StringBuilder latin1 = new StringBuilder();
        for (byte b : raw) {
            latin1.append((char) (b & 0xff));
        }
        return p.global("_codecs", "encode").str(latin1.toString()).str("latin1").op(0x86, 'R', 0x86, 'R');
    }

    private static byte[] le(double v, ByteOrder order) {
        return ByteBuffer.allocate(8).order(order).putDouble(v).array();
    }

    @Test
    void fairseqMeterValuesDecodeFromTheirBytesWithoutNumpy() {
        // [best 1.8731 (f8, as fairseq's extra_state pickles it), 2.5 big-endian, int64 -3 on numpy 2's module name]
        PickleBytes p = new PickleBytes().proto(2).op(']').mark();
        numpyScalar(p, "numpy.core.multiarray", "f8", "<", le(1.8731, ByteOrder.LITTLE_ENDIAN));
        numpyScalar(p, "numpy.core.multiarray", "f8", ">", le(2.5, ByteOrder.BIG_ENDIAN));
        numpyScalar(p, "numpy._core.multiarray", "i8", "<",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).array());
        byte[] pickle = p.op('e', '.').bytes();
        assertEquals(List.of(1.8731, 2.5, -3L), RestrictedUnpickler.load("t", pickle));
    }

    @Test
    void scalarBytesOfTheWrongLengthAreAnError() {
        PickleBytes p = new PickleBytes().proto(2);
        numpyScalar(p, "numpy.core.multiarray", "f8", "<", new byte[] {1, 2, 3});
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> RestrictedUnpickler.load("t", p.op('.').bytes()));
        assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
    }

    @Test
    void codecsEncodeOnlyTurnsLatin1TextIntoBytes() {
        byte[] ok = new PickleBytes().proto(2).global("_codecs", "encode").str("a\u00ff").str("latin1")
                .op(0x86, 'R', '.').bytes();
        assertArrayEquals(new byte[] {'a', (byte) 0xff}, (byte[]) RestrictedUnpickler.load("t", ok));
        byte[] other = new PickleBytes().proto(2).global("_codecs", "encode").str("x").str("rot13")
                .op(0x86, 'R', '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", other));
        assertTrue(e.getMessage().contains("rot13"), e.getMessage());
    }

    @Test
    void argparseNamespaceOfOlderCheckpointsIsReadAsAMap() {
        // args = argparse.Namespace(); args.__dict__.update({'decoder_layers': 24, 'arch': 'transformer_lm'})
        byte[] pickle = new PickleBytes().proto(2).global("argparse", "Namespace").op(')', 0x81)
                .op('}').mark().str("decoder_layers").integer(24).str("arch").str("transformer_lm").op('u', 'b', '.')
                .bytes();
        Object root = RestrictedUnpickler.load("t", pickle);
        assertEquals(Map.of("decoder_layers", 24L, "arch", "transformer_lm"), root);
    }

    @Test
    void newObjOnlyCreatesANamespace() {
        byte[] pickle = new PickleBytes().proto(2).global("collections", "OrderedDict").op(')', 0x81, '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle));
        assertTrue(e.getMessage().contains("NEWOBJ on collections.OrderedDict"), e.getMessage());
        byte[] withArgs = new PickleBytes().proto(2).global("argparse", "Namespace").str("x").op(0x85, 0x81, '.')
                .bytes();
        e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", withArgs));
        assertTrue(e.getMessage().contains("argparse.Namespace created with arguments"), e.getMessage());
        byte[] reduced = new PickleBytes().proto(2).global("argparse", "Namespace").op(')', 'R', '.').bytes();
        e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", reduced));
        assertTrue(e.getMessage().contains("argparse.Namespace"), e.getMessage());
    }

    @Test
    void aRefusedGlobalAfterAcceptedNumpyDataStillStopsTheLoadBeforeItRuns() throws IOException {
        Path marker = tmp.resolve("pwned");
        PickleBytes p = new PickleBytes().proto(2).op(']').mark();
        numpyScalar(p, "numpy.core.multiarray", "f8", "<", le(1.0, ByteOrder.LITTLE_ENDIAN));
        byte[] pickle = p.global("os", "system").str("touch " + marker).op(0x85, 'R', 'e', '.').bytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> RestrictedUnpickler.load("t", pickle));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertFalse(Files.exists(marker));
    }
}
