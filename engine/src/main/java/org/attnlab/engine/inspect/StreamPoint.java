package org.attnlab.engine.inspect;

import java.util.ArrayList;
import java.util.List;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.TransformerConfig;

/**
 * One point of the residual stream where a cached activation can be read (TransformerLens hook
 * points, docs/engine.md): {@code blocks.0.hook_resid_pre} (embedding + position), then per layer
 * {@code hook_resid_mid} (after attention) and {@code hook_resid_post} (after the MLP).
 *
 * <p>{@code blocks.l.hook_resid_post} equals {@code blocks.(l+1).hook_resid_pre}, so the later
 * resid_pre points are not listed twice. In an {@code attn_only} model resid_mid equals
 * resid_post (there is no MLP to add), so only resid_post is listed.
 *
 * @param hook  the hook point, e.g. {@code blocks.1.hook_resid_mid}
 * @param label a short label, e.g. {@code L1 mid}
 * @param layer the block index
 * @param kind  which of the three points of the block
 */
public record StreamPoint(HookPoint hook, String label, int layer, Kind kind) {
    /** Where in a block the point sits. */
    public enum Kind {
        /** before the block: embedding (+ position) for block 0. */ RESID_PRE,
        /** after attention was added. */ RESID_MID,
        /** after the MLP was added (the block's output). */ RESID_POST
    }

    /**
     * @return the distinct points of the stream of a model with configuration {@code c}, from the
     *     embedding to the last block's output
     */
    public static List<StreamPoint> of(TransformerConfig c) {
        List<StreamPoint> out = new ArrayList<>();
        out.add(new StreamPoint(HookPoint.of(0, HookPoint.Site.RESID_PRE), "embed", 0, Kind.RESID_PRE));
        for (int l = 0; l < c.nLayers(); l++) {
            HookPoint post = HookPoint.of(l, HookPoint.Site.RESID_POST);
            if (!c.attnOnly()) {
                out.add(new StreamPoint(HookPoint.of(l, HookPoint.Site.RESID_MID), "L" + l + " attn", l, Kind.RESID_MID));
                out.add(new StreamPoint(post, "L" + l + " mlp", l, Kind.RESID_POST));
            } else {
                out.add(new StreamPoint(post, "L" + l + " attn", l, Kind.RESID_POST));
            }
        }
        return List.copyOf(out);
    }
}
