package org.attnlab.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.attnlab.engine.io.BatchFile;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.ExpectedDump;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsFile;
import org.attnlab.engine.io.StoredTensor;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.optim.AdamW;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against the independent PyTorch reference ({@code mvn -pl engine test}): for every
 * golden case, every cache tensor (each hook), the loss, every gradient, two AdamW steps and the
 * loss after the first, within 1e-7 relative error. Prints the worst error of each case and, at
 * the end, of all of them.
 */
class GoldenParityTest {

    private static final Map<String, Golden.Worst> WORST = new ConcurrentHashMap<>();

    static List<String> cases() {
        return Golden.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineMatchesPyTorch(String name) throws Exception {
        Checkpoint ck = Checkpoint.load(Golden.file(name + ".model.safetensors"));
        Batch batch = BatchFile.read(Golden.file(name + ".batch.safetensors"));
        SafeTensorsFile expected = SafeTensors.read(Golden.file(name + ".expected.safetensors"));
        assertCoversEverything(name, expected.tensors(), ck);
        Map<String, StoredTensor> actual = ExpectedDump.compute(ck.params(), batch, AdamW.Settings.golden());
        Golden.Worst worst = Golden.assertMatches(name, expected.tensors(), actual);
        WORST.put(name, worst);
        System.out.printf("golden %-40s worst error %s%n", name, worst);
        assertTrue(worst.error() < Golden.TOL, name + ": worst error " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dumpFileMatchesPyTorch(String name, @TempDir Path dir) throws Exception {
        Path out = dir.resolve(name + ".out.safetensors");
        ExpectedDump.dump(Golden.file(name + ".model.safetensors"), Golden.file(name + ".batch.safetensors"), out,
                AdamW.Settings.golden());
        SafeTensorsFile written = SafeTensors.read(out);
        SafeTensorsFile expected = SafeTensors.read(Golden.file(name + ".expected.safetensors"));
        Golden.assertMatches(name, expected.tensors(), written.tensors());
        assertEquals("attnlab-expected", written.meta("format").orElseThrow());
    }

    @AfterAll
    static void reportWorst() {
        WORST.entrySet().stream().max(Map.Entry.comparingByValue(
                        java.util.Comparator.comparingDouble(Golden.Worst::error)))
                .ifPresent(e -> System.out.printf("golden worst error of %d cases: %s (%s), tolerance %.0e%n",
                        WORST.size(), e.getValue(), e.getKey(), Golden.TOL));
    }

    /**
     * The reference file holds what the parity claim says: the loss, the loss after one AdamW
     * step, at least one cache tensor, and for every parameter its gradient and both AdamW steps.
     */
    private static void assertCoversEverything(String name, Map<String, StoredTensor> expected, Checkpoint ck) {
        assertTrue(expected.containsKey("loss"), name + ": loss");
        assertTrue(expected.containsKey("loss_after_adamw1"), name + ": loss_after_adamw1");
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("cache.blocks.0.")), name + ": cache");
        for (Param p : ck.params().all()) {
            for (String prefix : List.of("grad.", "adamw1.", "adamw2.")) {
                assertTrue(expected.containsKey(prefix + p.name()), name + ": " + prefix + p.name());
            }
        }
    }
}
