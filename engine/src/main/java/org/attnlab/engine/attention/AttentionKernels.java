package org.attnlab.engine.attention;

import java.util.ArrayList;
import java.util.List;
import org.attnlab.engine.model.AttentionType;
import org.attnlab.engine.model.AttentionTypes;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The registry of attention kernels: the registered attention types ({@link AttentionTypes},
 * docs/engine.md, "Attention kernels") as the kernels they are. Registration is one line per
 * type in {@code META-INF/services/org.attnlab.engine.model.AttentionType}; every line must name
 * an {@link AttentionKernel}.
 */
public final class AttentionKernels {
    private static final List<AttentionKernel> ALL = kernels();

    /** {@code "softmax"}: softmax(q k^T / sqrt(E)) (Vaswani et al. 2017), the default. */
    public static final AttentionKernel SOFTMAX = of(AttentionTypes.byType("softmax"));
    /** {@code "linear"}: phi(q) phi(k)^T normalized, phi = elu + 1 (Katharopoulos et al. 2020). */
    public static final AttentionKernel LINEAR = of(AttentionTypes.byType("linear"));

    private AttentionKernels() {
    }

    private static List<AttentionKernel> kernels() {
        List<AttentionKernel> out = new ArrayList<>();
        for (AttentionType t : AttentionTypes.all()) {
            out.add(of(t));
        }
        return List.copyOf(out);
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
        return of(AttentionTypes.byType(type));
    }

    /**
     * @return the kernel of a registered type
     * @throws IllegalStateException if {@code type} is not a kernel (a registration error: every
     *     attention type must be computable)
     */
    public static AttentionKernel of(AttentionType type) {
        if (type instanceof AttentionKernel k) {
            return k;
        }
        throw new IllegalStateException("attention_type '" + type.type() + "' (" + type.getClass().getName()
                + ") is registered but is not an " + AttentionKernel.class.getName());
    }

    /** @return the kernel of {@code c}'s {@code attention_type} */
    public static AttentionKernel of(TransformerConfig c) {
        return of(c.attentionType());
    }

    /** @return the registered {@code attention_type} values */
    public static List<String> types() {
        return AttentionTypes.types();
    }
}
