package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.attnlab.engine.io.BatchFile;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.ExpectedDump;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsFile;
import org.attnlab.engine.io.StoredTensor;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.optim.AdamW;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden case made by the independent PyTorch reference: all cache tensors, the loss,
 * every gradient, two AdamW steps and the loss after the first, within 1e-7 relative error.
 */
class GoldenParityTest {

    static java.util.List<String> cases() {
        return Golden.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineMatchesPyTorch(String name) throws Exception {
        Checkpoint ck = Checkpoint.load(Golden.file(name + ".model.safetensors"));
        Batch batch = BatchFile.read(Golden.file(name + ".batch.safetensors"));
        SafeTensorsFile expected = SafeTensors.read(Golden.file(name + ".expected.safetensors"));
        Map<String, StoredTensor> actual = ExpectedDump.compute(ck.params(), batch, AdamW.Settings.golden());
        double worst = Golden.assertMatches(name, expected.tensors(), actual);
        System.out.printf("golden %-40s worst error %.3e%n", name, worst);
        assertTrue(worst < Golden.TOL, name + ": worst error " + worst);
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
}
