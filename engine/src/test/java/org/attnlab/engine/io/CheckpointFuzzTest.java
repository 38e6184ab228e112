package org.attnlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole checkpoint reader (safetensors bytes, then the checkpoint's config, parameters and
 * optimizer state, then its task and step) fed 120,000 corrupted checkpoints: byte-level
 * mutations (bit flips, cut files, header lengths past the end, broken JSON, swapped or
 * overlapping offsets) and structural ones that keep the file well formed but wrong (another
 * dtype, a shape that does not match the config, a config that does not match the tensors, a
 * missing or extra tensor, bad task metadata). Only {@link SafeTensorsException} may come out,
 * naming the file in one line: no other exception, no out-of-memory, no hang.
 */
@Tag("slow")
class CheckpointFuzzTest {
    private static final long SEED = 0xC4EC4B01L;
    private static final int MUTATIONS = 120_000;
    private static final String[] DTYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "U8", "BOOL", "F8_E4M3", "x"};

    /** Real checkpoints to corrupt: a trained model with optimizer state, and one without, of two variants. */
    private static List<byte[]> bases(Path dir) throws Exception {
        List<byte[]> out = new ArrayList<>();
        String[][] variants = {
                {"flipflop", "{\"d_model\":8,\"n_heads\":2,\"n_layers\":1,\"d_mlp\":16,\"n_ctx\":16,\"d_vocab\":8}"},
                {"parity", "{\"d_model\":8,\"n_heads\":2,\"n_layers\":2,\"attn_only\":true,\"n_ctx\":16,\"d_vocab\":4,"
                        + "\"positional_embedding_type\":\"rotary\"}"},
        };
        for (String[] v : variants) {
            TransformerConfig config = org.attnlab.engine.model.ConfigJson.parse(v[1]);
            Trainer t = new Trainer(Tasks.byName(v[0], Map.of("T", "16")), config,
                    new TrainingSettings(new org.attnlab.engine.optim.AdamW.Settings(1e-2, 0.9, 0.98, 1e-8, 0.01), 4,
                            3, 0, 0.1, 1.0, 0, 8, 4));
            t.step();
            t.step();
            Path p = dir.resolve(v[0] + ".safetensors");
            TrainingCheckpoints.save(p, t);
            out.add(Files.readAllBytes(p));
        }
        return out;
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void corruptedCheckpointsGiveOnlyTheReadersError(@TempDir Path dir) throws Exception {
        List<byte[]> bases = bases(dir);
        for (byte[] b : bases) {                       // the unmutated files load
            TrainingCheckpoints.fromCheckpoint(Checkpoint.fromFile(SafeTensors.read(b, "base")), "base");
        }
        Random rnd = new Random(SEED);
        int accepted = 0;
        int[] rejectedByKind = new int[16];
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] base = bases.get(rnd.nextInt(bases.size()));
            int kind = rnd.nextInt(16);
            String src = "fuzz-" + i + ".safetensors";
            byte[] input;
            try {
                input = kind < 9 ? SafeTensorsFuzzTest.mutate(base, kind, rnd) : structural(base, kind, rnd);
            } catch (SafeTensorsException e) {
                fail("the unmutated base must parse: " + e.getMessage());
                return;
            }
            try {
                SafeTensorsFile f = SafeTensors.read(input, src);
                Checkpoint ck = Checkpoint.fromFile(f);
                TrainingCheckpoints.fromCheckpoint(ck, src);
                accepted++;
            } catch (SafeTensorsException e) {
                rejectedByKind[kind]++;
                assertTrue(e.getMessage().startsWith(src + ": "), "names the file: " + e.getMessage());
                assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
            } catch (Throwable t) {
                fail("mutation " + i + " (kind " + kind + ", seed " + SEED + ") threw " + t, t);
            }
        }
        System.out.println("checkpoint fuzz: " + MUTATIONS + " files, " + accepted + " accepted, rejected by kind "
                + java.util.Arrays.toString(rejectedByKind));
        for (int kind = 0; kind < rejectedByKind.length; kind++) {
            assertTrue(rejectedByKind[kind] > 100, "mutation kind " + kind + " was rejected only "
                    + rejectedByKind[kind] + " times: it exercises nothing");
        }
    }

    /** A well-formed safetensors file whose content is wrong for a checkpoint (kinds 9..15). */
    private static byte[] structural(byte[] base, int kind, Random rnd) throws SafeTensorsException {
        SafeTensorsFile f = SafeTensors.read(base, "base");
        Map<String, StoredTensor> tensors = new LinkedHashMap<>(f.tensors());
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        List<String> names = new ArrayList<>(tensors.keySet());
        String name = names.get(rnd.nextInt(names.size()));
        StoredTensor t = tensors.get(name);
        switch (kind) {
            case 9 -> {                                    // the same bytes read as another dtype
                byte[] again = SafeTensors.toBytes(tensors, meta);
                String h = new String(again, java.nio.charset.StandardCharsets.UTF_8);
                String from = "\"dtype\":\"" + t.dtype().name() + "\"";
                String to = "\"dtype\":\"" + DTYPES[rnd.nextInt(DTYPES.length)] + "\"";
                int at = h.indexOf(from);
                return at < 0 ? again : rewriteHeader(again, from, to);
            }
            case 10 -> {                                   // a shape that does not match the config
                int[] shape = t.shape().clone();
                if (shape.length == 0) {
                    shape = new int[] {1, 1};
                } else {
                    shape[rnd.nextInt(shape.length)] += rnd.nextBoolean() ? 1 : -1;
                }
                long n = 1;
                for (int d : shape) {
                    n *= Math.max(0, d);
                }
                tensors.put(name, new StoredTensor(t.dtype(), shape, new double[(int) n]));
            }
            case 11 -> tensors.remove(name);              // a missing tensor
            case 12 -> tensors.put("blocks.9.attn." + name.substring(name.lastIndexOf('.') + 1), t);  // an extra one
            case 13 -> {                                   // a config that does not match the tensors
                String[] keys = {"d_model", "n_heads", "n_layers", "d_mlp", "n_ctx", "d_vocab", "d_head"};
                String key = keys[rnd.nextInt(keys.length)];
                String[] values = {"0", "-3", "1", "7", "4096", "100000", "2147483647", "\"x\"", "1.5", "null"};
                meta.put("config", meta.get("config").replaceFirst("\"" + key + "\":[^,}]*",
                        "\"" + key + "\":" + values[rnd.nextInt(values.length)]));
            }
            case 14 -> {                                   // bad task metadata
                switch (rnd.nextInt(6)) {
                    case 0 -> meta.put("task", "no-such-task");
                    case 1 -> meta.remove("task");
                    case 2 -> meta.put("task_options", "{\"T\":");
                    case 3 -> meta.put("task_options", "{\"T\":\"100000\"}");
                    case 4 -> meta.put("step", "twelve");
                    default -> meta.put("task_options", "[1,2]");
                }
            }
            default -> {                                   // bad checkpoint metadata
                switch (rnd.nextInt(5)) {
                    case 0 -> meta.remove("format");
                    case 1 -> meta.put("format_version", "2");
                    case 2 -> meta.remove("config");
                    case 3 -> meta.put("config", "{not json");
                    default -> meta.put("optim.step", "1e3");
                }
            }
        }
        return SafeTensors.toBytes(tensors, meta);
    }

    private static byte[] rewriteHeader(byte[] file, String from, String to) {
        long len = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String h = new String(file, 8, (int) len, java.nio.charset.StandardCharsets.UTF_8);
        byte[] header = h.replaceFirst(java.util.regex.Pattern.quote(from), to)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + header.length + file.length - 8 - (int) len)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(file, 8 + (int) len, file.length - 8 - (int) len);
        return out.array();
    }
}
