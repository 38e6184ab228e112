package org.attnlab.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnlab.engine.io.DType;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsException;
import org.attnlab.engine.io.SafeTensorsFile;
import org.attnlab.engine.io.StoredTensor;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * A {@link TrainingHistory} saved next to its checkpoint: {@code run.safetensors} gets a sidecar
 * {@code run.history.safetensors}, written atomically (temporary file, then move) after the
 * checkpoint. A sidecar keeps the checkpoint itself in the format of docs/engine.md, readable by any
 * older reader. Layout (N moments):
 * <ul>
 *   <li>{@code step} I64 [N], {@code loss_count} I64 [N], {@code train_loss}, {@code eval_loss},
 *   {@code metric} F64 [N];</li>
 *   <li>{@code moment.<i>.tokens} I32 [T], {@code moment.<i>.patterns} F32 [L, H, T, T];</li>
 *   <li>{@code moment.<i>.params.<name>} F64 (file order, docs/engine.md shapes) for moments with a copy;</li>
 *   <li>{@code __metadata__}: {@code format = attnlab-history}, {@code format_version = 1},
 *   {@code config} (the model's JSON), {@code checkpoint_step}, {@code capacity},
 *   {@code param_capacity}, {@code every}, {@code param_every}, {@code last_param_step},
 *   {@code pending_loss_sum}, {@code pending_loss_count} and, if known, {@code metric_name}.</li>
 * </ul>
 * On load, a sidecar whose config differs from the checkpoint's is ignored, and moments after the
 * checkpoint's step (left by a save whose checkpoint write failed) are dropped.
 */
public final class TrainingHistoryFile {
    /** The {@code format} metadata value. */
    public static final String FORMAT = "attnlab-history";
    private static final String SUFFIX = ".safetensors";

    private TrainingHistoryFile() {
    }

    /** @return the sidecar path of a checkpoint: {@code x.safetensors} to {@code x.history.safetensors} */
    public static Path sidecar(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        String base = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        return checkpoint.resolveSibling(base + ".history" + SUFFIX);
    }

    /**
     * Writes the sidecar of {@code checkpoint} atomically; with a null or empty history, deletes a
     * stale one instead.
     *
     * @param checkpointStep the checkpoint's step
     * @throws IOException if writing fails (an existing sidecar is then left intact)
     */
    public static void save(Path checkpoint, TrainingHistory h, TransformerConfig config, long checkpointStep)
            throws IOException {
        Path out = sidecar(checkpoint);
        if (h == null || h.size() == 0) {
            Files.deleteIfExists(out);
            return;
        }
        List<TrainingHistory.Moment> ms = h.moments();
        int n = ms.size();
        double[] step = new double[n], count = new double[n], train = new double[n], eval = new double[n],
                metric = new double[n];
        Map<String, StoredTensor> t = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            TrainingHistory.Moment m = ms.get(i);
            step[i] = m.step();
            count[i] = m.lossCount();
            train[i] = m.trainLoss();
            eval[i] = m.evalLoss();
            metric[i] = m.metric();
            int len = m.length();
            t.put("moment." + i + ".tokens", new StoredTensor(DType.I32, new int[] {len},
                    Arrays.stream(m.tokens()).asDoubleStream().toArray()));
            double[] p = new double[m.patterns().length];
            for (int k = 0; k < p.length; k++) {
                p[k] = m.patterns()[k];
            }
            t.put("moment." + i + ".patterns", new StoredTensor(DType.F32, new int[] {m.layers(), m.heads(), len, len}, p));
            if (m.params() != null) {
                for (Param x : m.params().all()) {
                    t.put("moment." + i + ".params." + x.name(), StoredTensor.f64(x.shape(), x.toFileOrder()));
                }
            }
        }
        t.put("step", new StoredTensor(DType.I64, new int[] {n}, step));
        t.put("loss_count", new StoredTensor(DType.I64, new int[] {n}, count));
        t.put("train_loss", StoredTensor.f64(new int[] {n}, train));
        t.put("eval_loss", StoredTensor.f64(new int[] {n}, eval));
        t.put("metric", StoredTensor.f64(new int[] {n}, metric));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", "1");
        meta.put("config", ConfigJson.toJson(config));
        meta.put("checkpoint_step", Long.toString(checkpointStep));
        meta.put("capacity", Integer.toString(h.capacity()));
        meta.put("param_capacity", Integer.toString(h.paramCapacity()));
        meta.put("every", Long.toString(h.every()));
        meta.put("param_every", Long.toString(h.paramEvery()));
        meta.put("last_param_step", Long.toString(h.lastParamStep()));
        meta.put("pending_loss_sum", Double.toString(h.pendingSum()));
        meta.put("pending_loss_count", Integer.toString(h.pendingCount()));
        if (h.metricName() != null) {
            meta.put("metric_name", h.metricName());
        }
        SafeTensors.write(out, t, meta);
    }

    /**
     * Reads the sidecar of {@code checkpoint}, if there is one that belongs to it.
     *
     * @param config         the checkpoint's model configuration
     * @param checkpointStep the checkpoint's step (later moments are dropped)
     * @return the history, or empty if there is no sidecar or it is another model's
     * @throws SafeTensorsException naming the file if it is malformed
     * @throws IOException if it cannot be read
     */
    public static Optional<TrainingHistory> load(Path checkpoint, TransformerConfig config, long checkpointStep)
            throws IOException {
        Path in = sidecar(checkpoint);
        if (!Files.isRegularFile(in)) {
            return Optional.empty();
        }
        SafeTensorsFile f = SafeTensors.read(in);
        String src = f.sourceName();
        if (!FORMAT.equals(f.meta("format").orElse(null))) {
            throw new SafeTensorsException(src, "not an Attention Lab training history (metadata format is not " + FORMAT + ")");
        }
        if (!ConfigJson.toJson(config).equals(f.meta("config").orElse(""))) {
            return Optional.empty();
        }
        try {
            double[] step = f.require("step").data(), count = f.require("loss_count").data(),
                    train = f.require("train_loss").data(), eval = f.require("eval_loss").data(),
                    metric = f.require("metric").data();
            int n = step.length;
            if (count.length != n || train.length != n || eval.length != n || metric.length != n) {
                throw new SafeTensorsException(src, "step, loss_count, train_loss, eval_loss and metric differ in length");
            }
            List<TrainingHistory.Moment> ms = new ArrayList<>(n);
            for (int i = 0; i < n && step[i] <= checkpointStep; i++) {
                ms.add(moment(f, config, i, (long) step[i], train[i], (int) count[i], eval[i], metric[i]));
            }
            return Optional.of(new TrainingHistory(intMeta(f, "capacity"), intMeta(f, "param_capacity"),
                    longMeta(f, "every"), longMeta(f, "param_every"), longMeta(f, "last_param_step"),
                    f.meta("metric_name").orElse(null), Double.parseDouble(f.meta("pending_loss_sum").orElse("0")),
                    intMeta(f, "pending_loss_count"), ms));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(src, "bad training history: " + e.getMessage());
        }
    }

    private static TrainingHistory.Moment moment(SafeTensorsFile f, TransformerConfig c, int i, long step, double train,
                                                 int count, double eval, double metric) throws SafeTensorsException {
        String p = "moment." + i + ".";
        StoredTensor tok = f.require(p + "tokens"), pat = f.require(p + "patterns");
        int t = tok.size();
        int[] tokens = new int[t];
        for (int k = 0; k < t; k++) {
            tokens[k] = (int) tok.data()[k];
        }
        if (!Arrays.equals(pat.shape(), new int[] {c.nLayers(), c.nHeads(), t, t})) {
            throw new SafeTensorsException(f.sourceName(), p + "patterns has shape " + Arrays.toString(pat.shape()));
        }
        float[] patterns = new float[pat.size()];
        for (int k = 0; k < patterns.length; k++) {
            patterns[k] = (float) pat.data()[k];
        }
        Parameters params = null;
        if (f.tensors().containsKey(p + "params.embed.W_E")) {
            params = new Parameters(c);
            for (Param x : params.all()) {
                StoredTensor s = f.require(p + "params." + x.name());
                if (!Arrays.equals(s.shape(), x.shape())) {
                    throw new SafeTensorsException(f.sourceName(), p + "params." + x.name() + " has shape "
                            + Arrays.toString(s.shape()));
                }
                x.fromFileOrder(s.data());
            }
        }
        return new TrainingHistory.Moment(step, train, count, eval, metric, tokens, c.nLayers(), c.nHeads(), patterns, params);
    }

    private static int intMeta(SafeTensorsFile f, String key) throws SafeTensorsException {
        return Math.toIntExact(longMeta(f, key));
    }

    private static long longMeta(SafeTensorsFile f, String key) throws SafeTensorsException {
        String v = f.meta(key).orElseThrow(() -> new SafeTensorsException(f.sourceName(), "metadata " + key + " is missing"));
        return Long.parseLong(v);
    }
}
