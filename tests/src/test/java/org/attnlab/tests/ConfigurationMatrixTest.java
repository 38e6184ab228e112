package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnlab.app.cli.AttnLabCli;
import org.attnlab.engine.attention.AttentionKernel;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration matrix (issue 13): every registered task x every attention type x every
 * positional encoding, each with its task's natural attention direction and with the other,
 * trains a small model through the command line ({@code attnlab train}, in process) for 4 steps
 * with an evaluation every 2 (so training resumes after an evaluation, on chunks of another
 * shape: 8 training sequences in chunks of 2, 24 held-out ones in chunks of 6). A case the
 * attention type refuses (linear with ALiBi) exits 1 with one line naming the keys; every
 * other case exits 0, writes a checkpoint of exactly that configuration, and {@code eval}
 * reads it back. No case may end in an internal error. Tasks, kernels and encodings come from
 * their registries, so a new one is covered without editing this test.
 */
class ConfigurationMatrixTest {
    /** One cell: a task, an attention type, an encoding and a direction. */
    record Case(String task, AttentionKernel kernel, PositionalEmbedding pe, AttentionDir dir) {
        @Override
        public String toString() {
            return task + " " + kernel.type() + " " + pe.json() + " " + dir.json();
        }
    }

    /** @return every cell, in registry order */
    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String task : Tasks.names()) {
            AttentionDir natural = Tasks.byName(task).attentionDir();
            for (AttentionKernel k : AttentionKernels.all()) {
                for (PositionalEmbedding pe : PositionalEmbedding.values()) {
                    for (AttentionDir dir : new AttentionDir[] {natural, other(natural)}) {
                        out.add(new Case(task, k, pe, dir));
                    }
                }
            }
        }
        return out;
    }

    private static AttentionDir other(AttentionDir d) {
        return d == AttentionDir.CAUSAL ? AttentionDir.BIDIRECTIONAL : AttentionDir.CAUSAL;
    }

    /**
     * @return the kernel's refusal of the combination (the message the configuration throws), or
     *     null if it accepts it
     */
    static String refusal(Case c) {
        try {
            TransformerConfig.builder(5, 4, 16, 2, 1).attentionType(c.kernel()).positionalEmbeddingType(c.pe())
                    .attentionDir(c.dir()).build();
            return null;
        } catch (IllegalArgumentException refused) {
            return refused.getMessage();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static final Pattern EVAL_HEAD = Pattern.compile("task (\\S+), step (\\d+), held-out loss ([0-9.]+)");

    /** Runs one cell; returns what went wrong, or null. */
    static String check(Case c, Path dir) {
        Path ck = dir.resolve(c.toString().replace(' ', '-') + ".safetensors");
        Run train = cli("train", "--task", c.task(), "--steps", "4", "--seed", "3", "--quiet",
                "--set", "eval_every=2", "--set", "eval_batch=24", "--set", "batch_size=8",
                "--set", "d_model=16", "--set", "d_mlp=32", "--set", "n_layers=1", "--set", "n_heads=2",
                "--set", "attention_type=" + c.kernel().type(), "--set", "positional_embedding_type=" + c.pe().json(),
                "--set", "attention_dir=" + c.dir().json(), "--out", ck.toString());
        String all = train.out() + train.err();
        if (all.contains("internal error")) {
            return "train: " + train.err().strip();
        }
        String refused = refusal(c);
        if (refused != null) {
            List<String> lines = train.err().lines().toList();
            if (train.code() != AttnLabCli.EXIT_FAILURE || !lines.equals(List.of("attnlab train: error: " + refused))
                    || !refused.contains("attention_type") || Files.exists(ck)) {
                return "a refused combination must be exit 1 and one line naming the keys, no checkpoint; got exit "
                        + train.code() + ", stderr " + lines;
            }
            return null;
        }
        if (train.code() != 0 || !train.err().isEmpty() || !train.out().contains("done after 4 steps")) {
            return "train: exit " + train.code() + ", stderr [" + train.err().strip() + "], stdout ["
                    + train.out().strip() + "]";
        }
        try {
            TransformerConfig saved = TrainingCheckpoints.load(ck).checkpoint().config();
            if (saved.attentionType() != c.kernel() || saved.positionalEmbeddingType() != c.pe()
                    || saved.attentionDir() != c.dir() || saved.dModel() != 16 || saved.nLayers() != 1) {
                return "the checkpoint holds another configuration: " + saved.toMap();
            }
        } catch (Exception e) {
            return "the checkpoint does not load: " + e;
        }
        Run eval = cli("eval", "--model", ck.toString(), "--batch-size", "32");
        Matcher m = EVAL_HEAD.matcher(eval.out());
        if (eval.code() != 0 || !eval.err().isEmpty() || !m.find() || !m.group(1).equals(Tasks.byName(c.task())
                .name()) || !m.group(2).equals("4") || !Double.isFinite(Double.parseDouble(m.group(3)))) {
            return "eval: exit " + eval.code() + ", stderr [" + eval.err().strip() + "], stdout [" + eval.out().strip()
                    + "]";
        }
        return null;
    }

    @Test
    @Tag("slow")
    void everyTaskTrainsWithEveryAttentionTypeEncodingAndDirection(@TempDir Path dir) throws Exception {
        List<Case> cases = cases();
        int kernels = AttentionKernels.all().size(), encodings = PositionalEmbedding.values().length;
        assertEquals(Tasks.names().size() * kernels * encodings * 2, cases.size());
        long t0 = System.nanoTime();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Case c : cases) {
                results.add(pool.submit(() -> check(c, dir)));
            }
            for (int i = 0; i < cases.size(); i++) {
                String problem = results.get(i).get();
                if (problem != null) {
                    failures.add(cases.get(i) + ": " + problem);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long refused = cases.stream().filter(c -> refusal(c) != null).count();
        System.out.printf(Locale.ROOT, "configuration matrix: %d cases (%d tasks x %d attention types x %d encodings"
                        + " x 2 directions), %d refused, in %.1f s%n", cases.size(), Tasks.names().size(), kernels,
                encodings, refused, (System.nanoTime() - t0) / 1e9);
        assertEquals(List.of(), failures);
        assertTrue(refused > 0 && refused < cases.size(), "the matrix holds refused and accepted combinations");
    }
}
