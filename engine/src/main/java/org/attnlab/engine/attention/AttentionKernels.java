package org.attnlab.engine.attention;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of attention types: every value {@code attention_type} may take
 * (docs/engine.md, "Attention kernels"). One registration line per type, in {@link #ALL}.
 */
public final class AttentionKernels {
    /** {@code "softmax"}: softmax(q k^T / sqrt(E)) (Vaswani et al. 2017), the default. */
    public static final AttentionKernel SOFTMAX = new SoftmaxAttention();
    /** {@code "linear"}: phi(q) phi(k)^T normalized, phi = elu + 1 (Katharopoulos et al. 2020). */
    public static final AttentionKernel LINEAR = new LinearAttention();

    private static final List<AttentionKernel> ALL = List.of(
            SOFTMAX,
            LINEAR);

    private AttentionKernels() {
    }

    /** @return every registered kernel, in registration order */
    public static List<AttentionKernel> all() {
        return ALL;
    }

    /**
     * @param type an {@code attention_type} value
     * @return the kernel registered for it
     * @throws IllegalArgumentException naming the registered types if none is called {@code type}
     */
    public static AttentionKernel byType(String type) {
        for (AttentionKernel k : ALL) {
            if (k.type().equals(type)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown attention_type '" + type + "' (registered: "
                + String.join(", ", types()) + ")");
    }

    /** @return the registered {@code attention_type} values */
    public static List<String> types() {
        List<String> out = new ArrayList<>(ALL.size());
        for (AttentionKernel k : ALL) {
            out.add(k.type());
        }
        return out;
    }
}
