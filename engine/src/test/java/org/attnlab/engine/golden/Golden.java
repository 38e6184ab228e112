package org.attnlab.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.attnlab.engine.io.StoredTensor;

/**
 * The golden cases made by the independent PyTorch reference (in
 * {@code engine/src/test/resources/golden/}) and a tolerant comparison.
 *
 * <p>Shared with the cross-module tests through the engine's test jar. Those run the command line
 * on the files, so they need real paths: {@link #file} takes the directory from the system
 * property {@value #DIR_PROPERTY} when it is set (the tests module's surefire configuration sets
 * it to {@code ${project.basedir}/../engine/src/test/resources/golden}, which holds whether Maven
 * runs from the root or with {@code -pl}), else from the classpath.
 */
public final class Golden {
    /** Relative tolerance of float64 against the reference: 1e-7, as docs/engine.md allows tests (about 1e-9 in practice; absolute below {@link #NEAR_ZERO}). */
    public static final double TOL = 1e-7;
    /** Relative tolerance of the float32 engine against the float64 reference: 1e-4. */
    public static final double TOL_F32 = 1e-4;
    /** Below this magnitude the error is absolute. */
    public static final double NEAR_ZERO = 1e-3;

    /** System property naming the golden directory, overriding the classpath. */
    public static final String DIR_PROPERTY = "attnlab.golden.dir";

    /** The case names: each has {@code <name>.model}, {@code .batch} and {@code .expected.safetensors}. */
    public static final List<String> CASES = List.of("alibi_causal", "attn_only_rotary_causal",
            "linear_attention_causal", "no_pos_bidirectional", "post_ln_sinusoidal_bidirectional_relu",
            "pre_ln_learned_causal");

    /**
     * The largest error of one comparison.
     *
     * @param error  the error (relative, or absolute near zero); 0 if every value matched exactly
     * @param tensor the tensor it was seen in, {@code ""} if none
     * @param index  the row-major element index, -1 if none
     */
    public record Worst(double error, String tensor, int index) {
        @Override
        public String toString() {
            return String.format("%.3e", error) + (tensor.isEmpty() ? "" : " at " + tensor + "[" + index + "]");
        }
    }

    private Golden() {
    }

    /**
     * @param name a file name, e.g. {@code alibi_causal.model.safetensors}
     * @return the golden file's path
     * @throws IllegalStateException if it does not exist (the message names where it was looked for)
     */
    public static Path file(String name) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir, name);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("missing golden file " + p + " (" + DIR_PROPERTY + "=" + dir + ")");
            }
            return p;
        }
        URL url = Golden.class.getResource("/golden/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource golden/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalStateException("golden/" + name + " is not a file (" + url + "): set -D" + DIR_PROPERTY, e);
        }
    }

    /**
     * Asserts that {@code actual} has exactly the tensors of {@code expected}, with equal shapes and
     * values within {@link #TOL} relative error; -inf must match -inf.
     *
     * @return the largest error seen (relative, or absolute near zero) and where
     */
    public static Worst assertMatches(String label, Map<String, StoredTensor> expected,
                                      Map<String, StoredTensor> actual) {
        return assertMatches(label, expected, actual, TOL);
    }

    /**
     * As {@link #assertMatches(String, Map, Map)} with tolerance {@code tol} (relative; absolute
     * below {@link #NEAR_ZERO}).
     */
    public static Worst assertMatches(String label, Map<String, StoredTensor> expected,
                                      Map<String, StoredTensor> actual, double tol) {
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), label + ": tensor names");
        Worst worst = new Worst(0, "", -1);
        for (Map.Entry<String, StoredTensor> e : expected.entrySet()) {
            StoredTensor want = e.getValue();
            StoredTensor got = actual.get(e.getKey());
            if (!Arrays.equals(want.shape(), got.shape())) {
                fail(label + ": " + e.getKey() + " shape " + Arrays.toString(got.shape()) + ", expected "
                        + Arrays.toString(want.shape()));
            }
            for (int i = 0; i < want.size(); i++) {
                double w = want.data()[i], g = got.data()[i];
                if (Double.isInfinite(w) || Double.isNaN(w)) {
                    if (Double.compare(w, g) != 0) {
                        fail(label + ": " + e.getKey() + "[" + i + "] = " + g + ", expected " + w);
                    }
                    continue;
                }
                double err = Math.abs(w - g) / Math.max(Math.abs(w), NEAR_ZERO);
                if (!(err <= tol)) {
                    fail(label + ": " + e.getKey() + "[" + i + "] = " + g + ", expected " + w + " (error " + err + ")");
                }
                if (err > worst.error()) {
                    worst = new Worst(err, e.getKey(), i);
                }
            }
        }
        return worst;
    }

    /**
     * The float32 engine against the float64 reference: every value within {@link #TOL_F32} of the
     * expected one, relative to {@code max(|expected|, rms(expected tensor), }{@link #NEAR_ZERO}{@code )}. The floor at the
     * tensor's root mean square is the norm-wise relative error of numerical linear algebra: an
     * entry of a residual stream that cancels to 1e-4 keeps the absolute round-off of its terms
     * (about 1e-7), which says nothing about the engine.
     *
     * <p>AdamW's first step is {@code lr * g / (|g| + eps)}: for an entry whose gradient is near
     * {@code eps} it multiplies the gradient's error by {@code lr eps / (|g| + eps)^2} (1e7 x lr at
     * {@code g = 2e-8}). The entries of {@code adamw1.*} and {@code adamw2.*} therefore also get
     * that amplification of the gradient's allowed error ({@link #TOL_F32} times the gradient
     * tensor's rms); how many needed it is returned, so that the test can bound it.
     *
     * @param lr  the AdamW learning rate of the expected steps
     * @param eps the AdamW epsilon of the expected steps
     * @return the worst error (in units of the plain tolerance) and the number of AdamW entries
     *     that needed the amplification allowance
     */
    public static F32Result assertMatchesF32(String label, Map<String, StoredTensor> expected,
                                             Map<String, StoredTensor> actual, double lr, double eps) {
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), label + ": tensor names");
        Worst worst = new Worst(0, "", -1);
        int amplified = 0;
        for (Map.Entry<String, StoredTensor> e : expected.entrySet()) {
            String name = e.getKey();
            double[] want = e.getValue().data(), got = actual.get(name).data();
            assertEquals(want.length, got.length, label + ": " + name + " size");
            double scale = Math.max(rms(want), NEAR_ZERO);
            boolean step = name.startsWith("adamw1.") || name.startsWith("adamw2.");
            double[] grad = step ? expected.get("grad." + name.substring(name.indexOf('.') + 1)).data() : null;
            double gradTol = step ? TOL_F32 * rms(grad) : 0;
            double steps = name.startsWith("adamw2.") ? 2 : 1;
            for (int i = 0; i < want.length; i++) {
                double w = want[i], g = got[i];
                if (Double.isInfinite(w) || Double.isNaN(w)) {
                    if (Double.compare(w, g) != 0) {
                        fail(label + ": " + name + "[" + i + "] = " + g + ", expected " + w);
                    }
                    continue;
                }
                double err = Math.abs(w - g) / Math.max(Math.abs(w), scale);
                if (!(err <= TOL_F32) && step) {
                    double gi = Math.abs(grad[i]);
                    double allowance = steps * lr * eps / ((gi + eps) * (gi + eps)) * gradTol;
                    if (Math.abs(w - g) <= TOL_F32 * Math.max(Math.abs(w), scale) + allowance) {
                        amplified++;
                        continue;
                    }
                }
                if (!(err <= TOL_F32)) {
                    fail(label + ": " + name + "[" + i + "] = " + g + ", expected " + w + " (error " + err
                            + " relative to max(|expected|, rms " + scale + "))");
                }
                if (err > worst.error()) {
                    worst = new Worst(err, name, i);
                }
            }
        }
        return new F32Result(worst, amplified);
    }

    /** @param worst the worst plain error; @param amplified AdamW entries within the amplification allowance only */
    public record F32Result(Worst worst, int amplified) {
    }

    private static double rms(double[] x) {
        double ss = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                ss += v * v;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(ss / n);
    }
}
