package org.attnlab.engine.attention;

import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;

/** For the tests that run every attention type: which combinations a kernel accepts (it says, by validating). */
public final class KernelCases {
    private KernelCases() {
    }

    /** @return whether {@code k} accepts positional encoding {@code pe} with direction {@code dir} */
    public static boolean accepts(AttentionKernel k, PositionalEmbedding pe, AttentionDir dir) {
        try {
            TransformerConfig.builder(5, 4, 4, 2, 1).positionalEmbeddingType(pe).attentionDir(dir).attentionType(k)
                    .build();
            return true;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }
}
