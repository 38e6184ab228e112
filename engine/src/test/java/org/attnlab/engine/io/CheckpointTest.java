package org.attnlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.optim.AdamW;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointTest {

    private static Parameters random(TransformerConfig c, long seed) {
        Parameters p = Parameters.init(c, new SplittableRandom(seed));
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (Param x : p.all()) {
            for (int i = 0; i < x.size(); i++) {
                x.value().data[i] += 0.01 * r.nextGaussian();   // no zeros or ones left: every value matters
            }
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(PositionalEmbedding.class)
    void parametersConfigAndMetadataRoundTrip(PositionalEmbedding pos, @TempDir Path dir) throws Exception {
        TransformerConfig c = TransformerConfig.builder(9, 7, 8, 2, 2).positionalEmbeddingType(pos)
                .attnOnly(pos == PositionalEmbedding.ALIBI).build();
        Parameters p = random(c, pos.ordinal());
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(f, p, Map.of("task", "lego", "step", "12"), null);
        Checkpoint back = Checkpoint.load(f);
        assertEquals(c, back.config());
        assertEquals("lego", back.metadata().get("task"));
        assertEquals("12", back.metadata().get("step"));
        assertEquals(Checkpoint.FORMAT, back.metadata().get("format"));
        assertEquals("1", back.metadata().get("format_version"));
        for (Param x : p.all()) {
            assertArrayEquals(x.toFileOrder(), back.params().get(x.name()).toFileOrder(), 0.0, x.name());
        }
        assertTrue(back.optimizer().isEmpty());
    }

    @Test
    void optimizerStateRoundTripsInComputeLayout(@TempDir Path dir) throws Exception {
        TransformerConfig c = TransformerConfig.builder(5, 4, 6, 3, 1).build();
        Parameters p = random(c, 3);
        Parameters g = random(c, 4);
        AdamW opt = new AdamW(AdamW.Settings.golden());
        opt.step(p, g);
        opt.step(p, g);
        Path f = dir.resolve("m.safetensors");
        Checkpoint.save(f, p, null, opt);
        Checkpoint back = Checkpoint.load(f);
        assertEquals(2, back.optimizerStep());
        for (Map.Entry<String, double[][]> e : opt.state().entrySet()) {
            assertArrayEquals(e.getValue()[0], back.optimizer().get(e.getKey())[0], 0.0, e.getKey());
            assertArrayEquals(e.getValue()[1], back.optimizer().get(e.getKey())[1], 0.0, e.getKey());
        }
    }

    private static Map<String, StoredTensor> tensorsOf(Parameters p) {
        Map<String, StoredTensor> t = new LinkedHashMap<>();
        for (Param x : p.all()) {
            t.put(x.name(), StoredTensor.f64(x.shape(), x.toFileOrder()));
        }
        return t;
    }

    private static Map<String, String> metaOf(TransformerConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", Checkpoint.FORMAT);
        m.put("format_version", "1");
        m.put("config", ConfigJson.toJson(c));
        return m;
    }

    private static String loadError(Path dir, Map<String, StoredTensor> tensors, Map<String, String> meta)
            throws Exception {
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.write(f, tensors, meta);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void malformedCheckpointsAreRejectedNamingTheProblem(@TempDir Path dir) throws Exception {
        TransformerConfig c = TransformerConfig.builder(5, 4, 6, 3, 1).build();
        Parameters p = random(c, 5);

        Map<String, StoredTensor> missing = tensorsOf(p);
        missing.remove("blocks.0.attn.W_Q");
        assertTrue(loadError(dir, missing, metaOf(c)).contains("blocks.0.attn.W_Q"));

        Map<String, StoredTensor> misshapen = tensorsOf(p);
        misshapen.put("embed.W_E", StoredTensor.f64(new int[] {6, 5}, new double[30]));
        assertTrue(loadError(dir, misshapen, metaOf(c)).contains("embed.W_E has shape [6, 5]"));

        Map<String, StoredTensor> extra = tensorsOf(p);
        extra.put("blocks.7.attn.W_Q", StoredTensor.f64(new int[] {1}, new double[1]));
        assertTrue(loadError(dir, extra, metaOf(c)).contains("unexpected tensor blocks.7.attn.W_Q"));

        Map<String, StoredTensor> nan = tensorsOf(p);
        double[] d = nan.get("unembed.b_U").data().clone();
        d[2] = Double.NaN;
        nan.put("unembed.b_U", StoredTensor.f64(new int[] {5}, d));
        assertTrue(loadError(dir, nan, metaOf(c)).contains("non-finite"));

        Map<String, String> badConfig = metaOf(c);
        badConfig.put("config", "{\"d_vocab\": 5}");
        assertTrue(loadError(dir, tensorsOf(p), badConfig).contains("n_ctx"));

        Map<String, String> notCheckpoint = metaOf(c);
        notCheckpoint.put("format", "attnlab-batch");
        assertTrue(loadError(dir, tensorsOf(p), notCheckpoint).contains("not an Attention Lab checkpoint"));

        Map<String, String> noConfig = metaOf(c);
        noConfig.remove("config");
        assertTrue(loadError(dir, tensorsOf(p), noConfig).contains("no config"));

        Map<String, String> future = metaOf(c);
        future.put("format_version", "2");
        assertTrue(loadError(dir, tensorsOf(p), future).contains("format_version 2"));
    }

    @Test
    void float32CheckpointsLoadToo(@TempDir Path dir) throws Exception {
        TransformerConfig c = TransformerConfig.builder(5, 4, 6, 3, 1).build();
        Parameters p = random(c, 6);
        Map<String, StoredTensor> f32 = new LinkedHashMap<>();
        for (Map.Entry<String, StoredTensor> e : tensorsOf(p).entrySet()) {
            double[] v = e.getValue().data().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) v[i];
            }
            f32.put(e.getKey(), new StoredTensor(DType.F32, e.getValue().shape(), v));
        }
        Path f = dir.resolve("f32.safetensors");
        SafeTensors.write(f, f32, metaOf(c));
        Checkpoint back = Checkpoint.load(f);
        assertEquals((float) p.get("embed.W_E").value().data[3], back.params().get("embed.W_E").value().data[3], 0.0);
    }
}
