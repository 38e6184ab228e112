package org.attnlab.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.model.Batch;

/**
 * Batch files (docs/engine.md, "Batch"): {@code tokens [B,T]} I64, {@code targets [B,T]} I64 (-1
 * unscored), {@code loss_mask [B,T]} U8. Other integer dtypes are accepted on read.
 */
public final class BatchFile {
    private BatchFile() {
    }

    /**
     * @throws SafeTensorsException naming the file when a tensor is missing, not an integer
     *     type, not [B, T], or the three disagree in shape, or a value is out of range
     */
    public static Batch read(Path path) throws IOException {
        SafeTensorsFile f = SafeTensors.read(path);
        String src = f.sourceName();
        StoredTensor tokens = f.require("tokens");
        StoredTensor targets = f.require("targets");
        StoredTensor mask = f.require("loss_mask");
        for (Map.Entry<String, StoredTensor> e : Map.of("tokens", tokens, "targets", targets, "loss_mask", mask)
                .entrySet()) {
            StoredTensor t = e.getValue();
            if (!t.dtype().isInteger()) {
                throw new SafeTensorsException(src, e.getKey() + " has dtype " + t.dtype()
                        + " (expected an integer type)");
            }
            if (t.shape().length != 2 || !Arrays.equals(t.shape(), tokens.shape())) {
                throw new SafeTensorsException(src, e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + " (expected [B, T], the same for tokens, targets and loss_mask)");
            }
        }
        int b = tokens.shape()[0], t = tokens.shape()[1];
        int n = b * t;
        int[] tok = new int[n], tgt = new int[n];
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            tok[i] = toInt(src, "tokens", tokens.data()[i], i, t);
            tgt[i] = toInt(src, "targets", targets.data()[i], i, t);
            double mv = mask.data()[i];
            if (mv != 0 && mv != 1) {
                throw new SafeTensorsException(src, "loss_mask at [" + i / t + ", " + i % t + "] is " + mv
                        + " (expected 0 or 1)");
            }
            m[i] = (byte) mv;
        }
        try {
            return new Batch(b, t, tok, tgt, m);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(src, e.getMessage());
        }
    }

    private static int toInt(String src, String name, double v, int i, int t) throws SafeTensorsException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new SafeTensorsException(src, name + " at [" + i / t + ", " + i % t + "] is out of range ("
                    + (long) v + ")");
        }
        return (int) v;
    }

    /** Writes {@code batch} atomically with I64 tokens and targets and a U8 mask. */
    public static void write(Path path, Batch batch) throws IOException {
        int[] shape = {batch.batchSize(), batch.seqLen()};
        int n = batch.batchSize() * batch.seqLen();
        double[] tok = new double[n], tgt = new double[n], m = new double[n];
        for (int i = 0; i < n; i++) {
            tok[i] = batch.tokens()[i];
            tgt[i] = batch.targets()[i];
            m[i] = batch.lossMask()[i];
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        tensors.put("tokens", new StoredTensor(DType.I64, shape, tok));
        tensors.put("targets", new StoredTensor(DType.I64, shape, tgt));
        tensors.put("loss_mask", new StoredTensor(DType.U8, shape, m));
        SafeTensors.write(path, tensors, Map.of("format", "attnlab-batch", "format_version", "1"));
    }
}
