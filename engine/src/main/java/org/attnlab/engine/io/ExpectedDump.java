package org.attnlab.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.transformer.Transformer;

/**
 * Computes the expected-format tensors of docs/engine.md ("Expected", "The dump command") for a model
 * and a batch: every {@code cache.<hook>}, {@code loss [1]}, {@code grad.<param>}, and with AdamW
 * settings {@code adamw1.<param>}, {@code adamw2.<param>} and {@code loss_after_adamw1 [1]}, all
 * F64. This is how anyone checks the engine against an outside reference.
 */
public final class ExpectedDump {
    private ExpectedDump() {
    }

    /**
     * @param params the model (not modified: AdamW steps run on a copy)
     * @param batch  the batch
     * @param adamw  optimizer settings, or {@code null} to skip the AdamW tensors
     * @return tensors by name, in the order computed
     * @throws IllegalArgumentException if the batch does not fit the model (tokens outside the
     *     vocabulary, T &gt; n_ctx, no scored position)
     */
    public static Map<String, StoredTensor> compute(Parameters params, Batch batch, AdamW.Settings adamw) {
        return compute(params, batch, adamw, Precision.F64);
    }

    /**
     * As {@link #compute(Parameters, Batch, AdamW.Settings)}, computing the passes in
     * {@code precision}. In {@link Precision#F32} the parameters are rounded to float32 first and
     * after each AdamW step (as {@code train} keeps them), and every pass runs in float32; the
     * tensors are still written as F64 so that one comparison serves both precisions.
     *
     * @param precision the number type of the passes
     * @throws IllegalArgumentException as the other overload
     */
    public static Map<String, StoredTensor> compute(Parameters params, Batch batch, AdamW.Settings adamw,
                                                    Precision precision) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        Parameters model0 = precision == Precision.F32 ? params.copy() : params;
        precision.round(model0);
        Transformer model = new Transformer(model0, 1, precision);
        ActivationCache cache = model.runWithCache(batch.tokens(), batch.batchSize(), batch.seqLen());
        for (String name : cache.names()) {
            ActivationCache.Activation a = cache.get(name);
            out.put("cache." + name, StoredTensor.f64(a.shape(), a.data()));
        }
        Parameters grads = new Parameters(params.config());
        double loss = model.lossAndGradients(batch, grads);
        out.put("loss", StoredTensor.f64(new int[] {1}, new double[] {loss}));
        putAll(out, "grad.", grads);
        if (adamw != null) {
            Parameters p = model0.copy();
            Transformer m = new Transformer(p, 1, precision);
            AdamW opt = new AdamW(adamw);
            opt.step(p, grads);
            precision.round(p);
            putAll(out, "adamw1.", p);
            double loss1 = m.lossAndGradients(batch, grads);
            out.put("loss_after_adamw1", StoredTensor.f64(new int[] {1}, new double[] {loss1}));
            opt.step(p, grads);
            precision.round(p);
            putAll(out, "adamw2.", p);
        }
        return out;
    }

    private static void putAll(Map<String, StoredTensor> out, String prefix, Parameters params) {
        for (Param p : params.all()) {
            out.put(prefix + p.name(), StoredTensor.f64(p.shape(), p.toFileOrder()));
        }
    }

    /**
     * Reads a model and a batch, computes, and writes the expected-format file atomically.
     *
     * @throws IOException if a file cannot be read or written, or is malformed
     *     ({@link SafeTensorsException} names it)
     * @throws IllegalArgumentException if the batch does not fit the model
     */
    public static void dump(Path model, Path batchPath, Path out, AdamW.Settings adamw) throws IOException {
        dump(model, batchPath, out, adamw, Precision.F64);
    }

    /**
     * As {@link #dump(Path, Path, Path, AdamW.Settings)}, computing in {@code precision}; the file's
     * metadata says which ({@code dtype}).
     *
     * @throws IOException as the other overload
     */
    public static void dump(Path model, Path batchPath, Path out, AdamW.Settings adamw, Precision precision)
            throws IOException {
        Checkpoint ck = Checkpoint.load(model);
        Batch batch = BatchFile.read(batchPath);
        Map<String, StoredTensor> tensors;
        try {
            tensors = compute(ck.params(), batch, adamw, precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("batch " + batchPath.getFileName() + " does not fit model "
                    + model.getFileName() + ": " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "attnlab-expected");
        meta.put("format_version", "1");
        meta.put("dtype", precision.id());
        if (adamw != null) {
            meta.put("adamw", String.format(java.util.Locale.ROOT,
                    "{\"lr\": %s, \"betas\": [%s, %s], \"eps\": %s, \"weight_decay\": %s}", adamw.lr(),
                    adamw.beta1(), adamw.beta2(), adamw.eps(), adamw.weightDecay()));
        }
        SafeTensors.write(out, tensors, meta);
    }
}
