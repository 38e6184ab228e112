package org.attnlab.engine.train;

import java.util.NoSuchElementException;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;

/**
 * How a fresh run's parameters start (training key {@code init}). Both schemes first draw
 * {@link Parameters#init}; {@link #MIMETIC} then changes the attention's query-key product.
 */
public enum InitScheme {
    /** {@link Parameters#init} as it is: N(0, 1/fan_in) weights, GPT-2's scaled output projections. */
    NORMAL("normal"),
    /**
     * Every head's {@code W_K} starts as a copy of its {@code W_Q}, so that {@code W_Q W_K^T} is
     * positive semi-definite and a query's score is largest at keys whose (LayerNorm-ed) residual
     * stream resembles its own: from the first step, each token attends to the other occurrences
     * of itself. That is the "association" pattern LEGO needs (a variable in a clause finds the
     * clause that defines it; Zhang et al. 2022, "Unveiling Transformers with LEGO", section 4,
     * found that this is what pretraining gives a BERT on LEGO, and that an initialization
     * mimicking it recovers most of the benefit). It is the {@code W_Q W_K^T ~ I} half of the
     * mimetic initialization of Trockman and Kolter 2023 ("Mimetic Initialization of
     * Self-Attention Layers"); {@code W_V} and {@code W_O} keep their draws. Under rotary
     * positions the match is exact for tokens at the same offset and fades with distance at the
     * rotation's high frequencies only.
     */
    MIMETIC("mimetic");

    private final String id;

    InitScheme(String id) {
        this.id = id;
    }

    /** @return the key's value: {@code normal} or {@code mimetic} */
    public String id() {
        return id;
    }

    /**
     * @param id {@code normal} or {@code mimetic}
     * @return the scheme
     * @throws IllegalArgumentException naming the accepted values
     */
    public static InitScheme parse(String id) {
        for (InitScheme s : values()) {
            if (s.id.equals(id == null ? null : id.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("init must be normal or mimetic (got '" + id + "')");
    }

    /**
     * Applies the scheme to freshly initialized parameters, in place (for {@link #NORMAL}, nothing).
     *
     * @param params parameters from {@link Parameters#init}
     * @return {@code params}
     * @throws IllegalArgumentException for {@link #MIMETIC} on a model whose attention has no
     *     {@code attn.W_Q} and {@code attn.W_K}
     */
    public Parameters apply(Parameters params) {
        if (this == MIMETIC) {
            for (int l = 0; l < params.config().parameterLayers(); l++) {
                Param q, k;
                try {
                    q = params.block(l, "attn.W_Q");
                    k = params.block(l, "attn.W_K");
                } catch (NoSuchElementException e) {
                    throw new IllegalArgumentException("init=mimetic needs attention with attn.W_Q and attn.W_K ("
                            + e.getMessage() + ")");
                }
                System.arraycopy(q.value().data, 0, k.value().data, 0, q.size());
            }
        }
        return params;
    }
}
