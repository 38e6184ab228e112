package org.attnlab.engine.hooks;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the forward pass exposes an activation (docs/engine.md, "Forward pass"), as
 * TransformerLens's {@code HookPoint} objects do: a {@link Site} and, for the sites inside a
 * block, the block's index. Code finds an activation by its point ({@code HookPoint.of(l,
 * Site.ATTN_PATTERN)}); the TransformerLens name ({@code blocks.0.attn.hook_pattern}) is only how
 * a point is printed ({@link #name()}) and read back ({@link #parse}), e.g. in files.
 *
 * @param layer the block index l (0-based) for a block site, -1 for a site outside the blocks
 * @param site  the site
 */
public record HookPoint(int layer, Site site) {
    /** The hook sites of docs/engine.md, in forward order. */
    public enum Site {
        /** {@code hook_embed}: W_E[tokens], [B, T, D]. */ EMBED("hook_embed", false, false),
        /** {@code hook_pos_embed}: the positional embedding added to it, [B, T, D]. */
        POS_EMBED("hook_pos_embed", false, false),
        /** {@code blocks.l.hook_resid_pre}: the residual stream entering block l, [B, T, D]. */
        RESID_PRE("hook_resid_pre", true, false),
        /** {@code blocks.l.attn.hook_q}: queries (after rotary), [B, T, H, E]. */ ATTN_Q("attn.hook_q", true, true),
        /** {@code blocks.l.attn.hook_k}: keys (after rotary), [B, T, H, E]. */ ATTN_K("attn.hook_k", true, true),
        /** {@code blocks.l.attn.hook_v}: values, [B, T, H, E]. */ ATTN_V("attn.hook_v", true, true),
        /** {@code blocks.l.attn.hook_attn_scores}: scaled, biased, masked scores (softmax only), [B, H, T, T]. */
        ATTN_SCORES("attn.hook_attn_scores", true, false),
        /** {@code blocks.l.attn.hook_pattern}: the attention pattern, [B, H, T, T]. */
        ATTN_PATTERN("attn.hook_pattern", true, false),
        /** {@code blocks.l.attn.hook_z}: each head's mix of values, before W_O, [B, T, H, E]. */
        ATTN_Z("attn.hook_z", true, true),
        /** {@code blocks.l.hook_attn_out}: the attention sublayer's output, [B, T, D]. */
        ATTN_OUT("hook_attn_out", true, false),
        /** {@code blocks.l.hook_resid_mid}: the stream after attention, [B, T, D]. */
        RESID_MID("hook_resid_mid", true, false),
        /** {@code blocks.l.mlp.hook_pre}: MLP pre-activation, [B, T, M]. */ MLP_PRE("mlp.hook_pre", true, false),
        /** {@code blocks.l.mlp.hook_post}: MLP post-activation, [B, T, M]. */ MLP_POST("mlp.hook_post", true, false),
        /** {@code blocks.l.hook_mlp_out}: the MLP sublayer's output, [B, T, D]. */ MLP_OUT("hook_mlp_out", true, false),
        /** {@code blocks.l.hook_resid_post}: the block's output, [B, T, D]. */
        RESID_POST("hook_resid_post", true, false),
        /** {@code ln_final.hook_normalized}: the final LayerNorm's output, [B, T, D]. */
        LN_FINAL("ln_final.hook_normalized", false, false),
        /** {@code logits}: the output, [B, T, V]. */ LOGITS("logits", false, false);

        private final String suffix;
        private final boolean inBlock, perHead;

        Site(String suffix, boolean inBlock, boolean perHead) {
            this.suffix = suffix;
            this.inBlock = inBlock;
            this.perHead = perHead;
        }

        /** @return the name after {@code blocks.<l>.} for a block site, the whole name otherwise */
        public String suffix() {
            return suffix;
        }

        /** @return whether the site is inside a block (its points have a layer) */
        public boolean inBlock() {
            return inBlock;
        }

        /** @return whether the activation has TransformerLens shape [B, T, H, E] (q, k, v, z) */
        public boolean perHead() {
            return perHead;
        }
    }

    private static final String BLOCKS = "blocks.";
    private static final Site[] SITES = Site.values();
    private static final HookPoint[] GLOBAL = new HookPoint[SITES.length];

    static {
        for (Site s : SITES) {
            if (!s.inBlock) {
                GLOBAL[s.ordinal()] = new HookPoint(-1, s);
            }
        }
    }

    /** {@code hook_embed}. */
    public static final HookPoint EMBED = GLOBAL[Site.EMBED.ordinal()];
    /** {@code hook_pos_embed}. */
    public static final HookPoint POS_EMBED = GLOBAL[Site.POS_EMBED.ordinal()];
    /** {@code ln_final.hook_normalized}. */
    public static final HookPoint LN_FINAL = GLOBAL[Site.LN_FINAL.ordinal()];
    /** {@code logits}. */
    public static final HookPoint LOGITS = GLOBAL[Site.LOGITS.ordinal()];

    /**
     * @throws IllegalArgumentException if a block site has a negative layer or another site a
     *     layer other than -1
     */
    public HookPoint {
        if (site == null) {
            throw new IllegalArgumentException("a hook point needs a site");
        }
        if (site.inBlock && layer < 0) {
            throw new IllegalArgumentException(site.suffix + " is a block hook: it needs a layer >= 0 (got " + layer
                    + ")");
        }
        if (!site.inBlock && layer != -1) {
            throw new IllegalArgumentException(site.suffix + " is not inside a block: its layer is -1 (got " + layer
                    + ")");
        }
    }

    /**
     * @return the point of block site {@code site} in layer {@code layer}
     * @throws IllegalArgumentException as the constructor
     */
    public static HookPoint of(int layer, Site site) {
        return new HookPoint(layer, site);
    }

    /**
     * @return the point of a site outside the blocks (a shared instance)
     * @throws IllegalArgumentException if {@code site} is a block site
     */
    public static HookPoint of(Site site) {
        HookPoint p = GLOBAL[site.ordinal()];
        if (p == null) {
            throw new IllegalArgumentException(site.suffix + " is a block hook: give its layer");
        }
        return p;
    }

    /**
     * @return the points of block {@code layer}, indexed by {@link Site#ordinal()} ({@code null}
     *     for the sites outside the blocks); blocks precompute theirs so a forward pass allocates none
     */
    public static HookPoint[] ofLayer(int layer) {
        HookPoint[] out = new HookPoint[SITES.length];
        for (Site s : SITES) {
            if (s.inBlock) {
                out[s.ordinal()] = new HookPoint(layer, s);
            }
        }
        return out;
    }

    /** @return the TransformerLens name, e.g. {@code blocks.0.attn.hook_pattern} or {@code hook_embed} */
    public String name() {
        return site.inBlock ? BLOCKS + layer + "." + site.suffix : site.suffix;
    }

    /**
     * Reads a TransformerLens hook name: {@code blocks.<l>.<site>} for a block site, the site's
     * name for the others.
     *
     * @return the point named {@code name}; {@code parse(p.name()).equals(p)} for every point
     * @throws IllegalArgumentException naming the problem and the known names if {@code name} is
     *     not a hook name of docs/engine.md
     */
    public static HookPoint parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("no hook name given");
        }
        if (name.startsWith(BLOCKS)) {
            int dot = name.indexOf('.', BLOCKS.length());
            String digits = dot < 0 ? "" : name.substring(BLOCKS.length(), dot);
            if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw new IllegalArgumentException("bad hook name '" + name + "': expected blocks.<layer>.<site> with a "
                        + "layer number, e.g. blocks.0.attn.hook_pattern");
            }
            String suffix = name.substring(dot + 1);
            for (Site s : SITES) {
                if (s.inBlock && s.suffix.equals(suffix)) {
                    return new HookPoint(Integer.parseInt(digits), s);
                }
            }
            throw new IllegalArgumentException("bad hook name '" + name + "': '" + suffix
                    + "' is not a site of blocks.<layer>.<site> (sites: " + String.join(", ", suffixes(true)) + ")");
        }
        for (Site s : SITES) {
            if (!s.inBlock && s.suffix.equals(name)) {
                return GLOBAL[s.ordinal()];
            }
        }
        throw new IllegalArgumentException("bad hook name '" + name + "': expected blocks.<layer>.<site> or one of "
                + String.join(", ", suffixes(false)));
    }

    private static List<String> suffixes(boolean inBlock) {
        List<String> out = new ArrayList<>();
        for (Site s : SITES) {
            if (s.inBlock == inBlock) {
                out.add(s.suffix);
            }
        }
        return out;
    }

    /** @return {@link #name()} */
    @Override
    public String toString() {
        return name();
    }
}
