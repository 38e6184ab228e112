package org.attnlab.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;

/**
 * A model checkpoint (docs/engine.md, "Files"): parameters by TransformerLens name in a
 * safetensors file whose {@code __metadata__} holds {@code format = attnlab-checkpoint},
 * {@code format_version = 1} and {@code config} (the configuration JSON; a model with
 * {@code weight_sharing} stores its block parameters once, under {@code blocks.0.*}). A
 * checkpoint written before weight sharing was a configuration key (no {@code weight_sharing}
 * in its config) opens as an unshared model, whatever its layers hold. The project may add
 * more metadata (task, step, ...) and AdamW moments under {@code optim.m.<name>} and
 * {@code optim.v.<name>} with the step count in metadata {@code optim.step}.
 *
 * @param params    the parameters (their configuration is the checkpoint's)
 * @param metadata  every metadata entry of the file (format, config and extras)
 * @param optimizer AdamW moments by parameter name in compute layout ({m, v}), empty if absent
 * @param optimizerStep AdamW's step count, 0 if absent
 */
public record Checkpoint(Parameters params, Map<String, String> metadata, Map<String, double[][]> optimizer,
                         long optimizerStep) {
    /** The {@code format} metadata value of a checkpoint. */
    public static final String FORMAT = "attnlab-checkpoint";

    /** @return the configuration */
    public TransformerConfig config() {
        return params.config();
    }

    /**
     * Reads and validates a checkpoint.
     *
     * @throws SafeTensorsException naming the file and the problem: not a checkpoint, a bad
     *     config, a missing, extra or misshapen parameter, or a non-finite value
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path path) throws IOException {
        SafeTensorsFile f = SafeTensors.read(path);
        return fromFile(f);
    }

    /** Validates an already-read file; see {@link #load(Path)}. */
    public static Checkpoint fromFile(SafeTensorsFile f) throws SafeTensorsException {
        String src = f.sourceName();
        String format = f.meta("format").orElse(null);
        if (!FORMAT.equals(format)) {
            throw new SafeTensorsException(src, "not an Attention Lab checkpoint (metadata format is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "')");
        }
        String version = f.meta("format_version").orElse("1");
        if (!version.equals("1")) {
            throw new SafeTensorsException(src, "checkpoint format_version " + version
                    + " is not supported (this program reads version 1)");
        }
        String json = f.meta("config").orElseThrow(() -> new SafeTensorsException(src,
                "checkpoint metadata has no config"));
        TransformerConfig config;
        try {
            config = ConfigJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(src, "bad config in metadata: " + e.getMessage());
        }
        long stored = 0;
        for (StoredTensor t : f.tensors().values()) {
            stored += t.data().length;
        }
        // W_E, W_U and every stored block's W_Q, W_K, W_V, W_O exist in every variant: a lower bound
        // on the values the config needs, checked before allocating it (a corrupt config must not
        // exhaust memory); under weight_sharing the blocks are stored once
        long atLeast = 2L * config.dVocab() * config.dModel()
                + 4L * config.parameterLayers() * config.nHeads() * config.dHead() * config.dModel();
        if (atLeast > stored) {
            throw new SafeTensorsException(src, "the config in the metadata needs at least " + atLeast
                    + " parameter values but the file holds " + stored + " (config and tensors do not match)");
        }
        Parameters params = new Parameters(config);
        for (Param p : params.all()) {
            StoredTensor t = f.tensors().get(p.name());
            if (t == null) {
                throw new SafeTensorsException(src, "parameter " + p.name() + " " + Arrays.toString(p.shape())
                        + " is missing");
            }
            requireShape(src, p, t);
            p.fromFileOrder(t.data());
        }
        Map<String, double[][]> optim = new LinkedHashMap<>();
        for (String name : f.tensors().keySet()) {
            if (params.has(name)) {
                continue;
            }
            String target = name.startsWith("optim.m.") || name.startsWith("optim.v.") ? name.substring(8) : null;
            if (target == null || !params.has(target)) {
                throw new SafeTensorsException(src, "unexpected tensor " + name
                        + " (not a parameter of this config)");
            }
            Param p = params.get(target);
            StoredTensor t = f.tensors().get(name);
            requireShape(src, p, t);
            double[][] mv = optim.computeIfAbsent(target, k -> new double[2][]);
            double[] dst = new double[p.size()];
            p.fromFileOrder(t.data(), dst);
            mv[name.startsWith("optim.m.") ? 0 : 1] = dst;
        }
        for (Map.Entry<String, double[][]> e : optim.entrySet()) {
            if (e.getValue()[0] == null || e.getValue()[1] == null) {
                throw new SafeTensorsException(src, "optimizer state for " + e.getKey()
                        + " has only one of optim.m and optim.v");
            }
        }
        long step = 0;
        if (f.meta("optim.step").isPresent()) {
            try {
                step = Long.parseLong(f.meta("optim.step").get());
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(src, "metadata optim.step is not an integer");
            }
        }
        return new Checkpoint(params, Collections.unmodifiableMap(new TreeMap<>(f.metadata())),
                Collections.unmodifiableMap(optim), step);
    }

    private static void requireShape(String src, Param p, StoredTensor t) throws SafeTensorsException {
        if (!Arrays.equals(t.shape(), p.shape())) {
            throw new SafeTensorsException(src, p.name() + " has shape " + Arrays.toString(t.shape())
                    + " but the config needs " + Arrays.toString(p.shape()));
        }
        if (t.dtype().isInteger()) {
            throw new SafeTensorsException(src, p.name() + " has integer dtype " + t.dtype()
                    + " (expected a float type)");
        }
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new SafeTensorsException(src, p.name() + " holds a non-finite value (" + d[i]
                        + ") at flat index " + i);
            }
        }
    }

    /**
     * Writes a checkpoint atomically (temporary file, flush, move), in F64.
     *
     * @param extra     more metadata (e.g. task, step); must not override format or config
     * @param optimizer AdamW whose moments to save, or {@code null}
     * @throws IOException if writing fails; the previous file is then left intact
     */
    public static void save(Path path, Parameters params, Map<String, String> extra, AdamW optimizer)
            throws IOException {
        save(path, params, extra, optimizer, DType.F64);
    }

    /**
     * Writes a checkpoint atomically with its parameters in {@code dtype}: {@link DType#F32} for
     * a float32 run, whose parameters are float32 values, so that nothing is lost and the file is
     * half the size. The AdamW moments stay F64 (the optimizer keeps them in float64, and a
     * resumed run continues bit for bit). Either kind opens in either precision ({@link #load}
     * widens F32 exactly).
     *
     * @param dtype {@link DType#F64} or {@link DType#F32}
     * @throws IllegalArgumentException for another dtype
     * @throws IOException if writing fails; the previous file is then left intact
     */
    public static void save(Path path, Parameters params, Map<String, String> extra, AdamW optimizer, DType dtype)
            throws IOException {
        if (dtype != DType.F64 && dtype != DType.F32) {
            throw new IllegalArgumentException("checkpoints hold F64 or F32 parameters, not " + dtype);
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Param p : params.all()) {
            tensors.put(p.name(), new StoredTensor(dtype, p.shape(), p.toFileOrder()));
        }
        Map<String, String> meta = new LinkedHashMap<>(extra == null ? Map.of() : extra);
        meta.put("format", FORMAT);
        meta.put("format_version", "1");
        meta.put("config", ConfigJson.toJson(params.config()));
        if (optimizer != null && optimizer.stepCount() > 0) {
            for (Map.Entry<String, double[][]> e : optimizer.state().entrySet()) {
                Param p = params.get(e.getKey());
                tensors.put("optim.m." + p.name(), StoredTensor.f64(p.shape(), p.toFileOrder(e.getValue()[0])));
                tensors.put("optim.v." + p.name(), StoredTensor.f64(p.shape(), p.toFileOrder(e.getValue()[1])));
            }
            meta.put("optim.step", Long.toString(optimizer.stepCount()));
        }
        SafeTensors.write(path, tensors, meta);
    }
}
