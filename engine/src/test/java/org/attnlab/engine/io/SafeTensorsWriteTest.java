package org.attnlab.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsWriteTest {

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeCreatesTheFileAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("model.safetensors");
        SafeTensors.write(p, SafeTensorsRoundTripTest.pythonTensors(), SafeTensorsRoundTripTest.pythonMetadata());
        assertEquals(List.of("model.safetensors"), listing(dir));
        assertArrayEquals(SafeTensors.toBytes(SafeTensorsRoundTripTest.pythonTensors(),
                SafeTensorsRoundTripTest.pythonMetadata()), Files.readAllBytes(p));
        SafeTensorsFile f = SafeTensors.read(p);
        assertEquals(p.toString(), f.sourceName());
        assertEquals(SafeTensorsRoundTripTest.pythonMetadata(), f.metadata());
    }

    @Test
    void writeReplacesAnExistingFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("m.safetensors");
        Files.write(p, new byte[10_000]);
        Map<String, StoredTensor> t = Map.of("x", StoredTensor.f64(new int[]{2}, new double[]{1, 2}));
        SafeTensors.write(p, t, Map.of("v", "2"));
        assertEquals(List.of("m.safetensors"), listing(dir));
        SafeTensorsFile f = SafeTensors.read(p);
        assertEquals(t, f.tensors());
        assertEquals(Map.of("v", "2"), f.metadata());
        assertArrayEquals(SafeTensors.toBytes(t, Map.of("v", "2")), Files.readAllBytes(p));
    }

    @Test
    void relativePathWorks(@TempDir Path dir) throws Exception {
        Path rel = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.safetensors"));
        SafeTensors.write(rel, Map.of("x", StoredTensor.f64(new int[]{}, new double[]{3})), null);
        assertEquals(List.of("rel.safetensors"), listing(dir));
        assertEquals(3.0, SafeTensors.read(rel).require("x").data()[0]);
    }

    @Test
    void encodingFailureLeavesThePreviousFileAndNoTempFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("m.safetensors");
        Map<String, StoredTensor> good = Map.of("x", StoredTensor.f64(new int[]{1}, new double[]{1}));
        SafeTensors.write(p, good, null);
        byte[] before = Files.readAllBytes(p);
        Map<String, StoredTensor> bad = Map.of("tokens", new StoredTensor(DType.I64, new int[]{1}, new double[]{0.5}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, bad, null));
        assertTrue(e.getMessage().contains("tokens"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("m.safetensors"), listing(dir));
    }

    @Test
    void moveFailureDeletesTheTempFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.write(target.resolve("keep.txt"), new byte[]{42});
        Map<String, StoredTensor> t = Map.of("x", StoredTensor.f64(new int[]{1}, new double[]{1}));
        assertThrows(IOException.class, () -> SafeTensors.write(target, t, null));
        assertEquals(List.of("occupied"), listing(dir));
        assertArrayEquals(new byte[]{42}, Files.readAllBytes(target.resolve("keep.txt")));
    }

    @Test
    void missingDirectoryFailsWithIOException(@TempDir Path dir) {
        Path p = dir.resolve("no/such/dir/m.safetensors");
        assertThrows(IOException.class, () -> SafeTensors.write(p, Map.of(), null));
    }

    @Test
    void readingAMissingFileIsAnIOException(@TempDir Path dir) {
        assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));
    }
}
