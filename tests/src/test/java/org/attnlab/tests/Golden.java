package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.attnlab.engine.io.StoredTensor;

/** The golden cases (copied from the PyTorch reference into test resources) and a tolerant comparison. */
final class Golden {
    /** Relative tolerance of the issue: 1e-7 (absolute below {@link #NEAR_ZERO}). */
    static final double TOL = 1e-7;
    static final double NEAR_ZERO = 1e-3;

    static final List<String> CASES = List.of("alibi_causal", "attn_only_rotary_causal", "linear_attention_causal",
            "no_pos_bidirectional", "post_ln_sinusoidal_bidirectional_relu", "pre_ln_learned_causal");

    private Golden() {
    }

    static Path file(String name) {
        URL url = Golden.class.getResource("/golden/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource golden/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that {@code actual} has exactly the tensors of {@code expected}, with equal shapes and
     * values within {@link #TOL} relative error; -inf must match -inf.
     *
     * @return the largest error seen (relative, or absolute near zero)
     */
    static double assertMatches(String label, Map<String, StoredTensor> expected, Map<String, StoredTensor> actual) {
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), label + ": tensor names");
        double worst = 0;
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
                if (!(err <= TOL)) {
                    fail(label + ": " + e.getKey() + "[" + i + "] = " + g + ", expected " + w + " (error " + err + ")");
                }
                worst = Math.max(worst, err);
            }
        }
        return worst;
    }
}
