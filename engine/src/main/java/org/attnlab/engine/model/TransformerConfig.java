package org.attnlab.engine.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The transformer's hyperparameters: an immutable, validated record whose JSON keys are
 * those of the engine specification (docs/engine.md, "Configuration"), named as in
 * TransformerLens's {@code HookedTransformerConfig}, plus the project's {@code weight_sharing}.
 *
 * <p>Build one with {@link #builder(int, int, int, int, int)} (defaults filled in) or read
 * one from JSON with {@link ConfigJson}. Construction rejects bad values with an
 * {@link IllegalArgumentException} whose message names the offending key; combinations an
 * attention type refuses are refused by the type ({@link AttentionType#validate}).
 *
 * @param dVocab                  d_vocab: number of tokens V
 * @param nCtx                    n_ctx: longest sequence T the model accepts
 * @param dModel                  d_model: width D of the residual stream
 * @param nHeads                  n_heads: attention heads H per layer
 * @param nLayers                 n_layers: transformer blocks L
 * @param dHead                   d_head: width E of one head's q, k, v and z
 * @param dMlp                    d_mlp: hidden width M of each MLP
 * @param actFn                   act_fn: the MLP nonlinearity
 * @param normalizationType       normalization_type: LayerNorm or none
 * @param lnPlacement             ln_placement: pre-LN (GPT-2) or post-LN (Vaswani et al. / BERT)
 * @param positionalEmbeddingType positional_embedding_type
 * @param attentionDir            attention_dir: causal or bidirectional
 * @param attentionType           attention_type: one of {@link AttentionTypes#all()}
 *                                (softmax; linear, Katharopoulos et al. 2020)
 * @param attnOnly                attn_only: no MLP sublayers
 * @param rotaryBase              rotary_base: the RoPE base (Su et al. 2021)
 * @param eps                     eps: LayerNorm epsilon
 * @param weightSharing           weight_sharing: every layer uses one set of block parameters
 *                                (ALBERT, Lan et al. 2020), stored once under {@code blocks.0.*}
 */
public record TransformerConfig(int dVocab, int nCtx, int dModel, int nHeads, int nLayers, int dHead, int dMlp,
                                ActFn actFn, Normalization normalizationType, LnPlacement lnPlacement,
                                PositionalEmbedding positionalEmbeddingType, AttentionDir attentionDir,
                                AttentionType attentionType, boolean attnOnly, double rotaryBase, double eps,
                                boolean weightSharing) {

    /** act_fn values. */
    public enum ActFn {
        /** GPT-2's tanh approximation of GELU. */ GELU_NEW("gelu_new"),
        /** max(0, x). */ RELU("relu");
        private final String json;
        ActFn(String json) { this.json = json; }
        /** @return the JSON spelling */
        public String json() { return json; }
    }

    /** normalization_type values; {@code NONE} is JSON {@code null}. */
    public enum Normalization {
        /** LayerNorm with learned scale and bias. */ LN("LN"),
        /** no normalization anywhere. */ NONE(null);
        private final String json;
        Normalization(String json) { this.json = json; }
        /** @return the JSON spelling, {@code null} for NONE */
        public String json() { return json; }
    }

    /** ln_placement values. */
    public enum LnPlacement {
        /** normalize each sublayer's input (GPT-2). */ PRE("pre"),
        /** normalize after each residual add (original Transformer, BERT). */ POST("post");
        private final String json;
        LnPlacement(String json) { this.json = json; }
        /** @return the JSON spelling */
        public String json() { return json; }
    }

    /** positional_embedding_type values. */
    public enum PositionalEmbedding {
        /** learned W_pos. */ STANDARD("standard"),
        /** fixed sin/cos table (Vaswani et al. 2017). */ SINUSOIDAL("sinusoidal"),
        /** rotary q/k (Su et al. 2021). */ ROTARY("rotary"),
        /** linear distance bias on the scores (Press et al. 2021). */ ALIBI("alibi"),
        /** no position information at all. */ NONE("none");
        private final String json;
        PositionalEmbedding(String json) { this.json = json; }
        /** @return the JSON spelling */
        public String json() { return json; }
    }

    /** attention_dir values. */
    public enum AttentionDir {
        /** a query sees keys at or before it. */ CAUSAL("causal"),
        /** a query sees every key. */ BIDIRECTIONAL("bidirectional");
        private final String json;
        AttentionDir(String json) { this.json = json; }
        /** @return the JSON spelling */
        public String json() { return json; }
    }

    /**
     * @throws IllegalArgumentException naming the key when a value is out of range, or both keys
     *     when the attention type refuses a combination (e.g. linear attention with ALiBi)
     */
    public TransformerConfig(int dVocab, int nCtx, int dModel, int nHeads, int nLayers, int dHead, int dMlp,
                             ActFn actFn, Normalization normalizationType, LnPlacement lnPlacement,
                             PositionalEmbedding positionalEmbeddingType, AttentionDir attentionDir,
                             AttentionType attentionType, boolean attnOnly, double rotaryBase, double eps,
                             boolean weightSharing) {
        positive("d_vocab", dVocab);
        positive("n_ctx", nCtx);
        if (nCtx > 4096) {
            throw new IllegalArgumentException("n_ctx must be at most 4096 for these toy models (got " + nCtx + ")");
        }
        positive("d_model", dModel);
        positive("n_heads", nHeads);
        positive("n_layers", nLayers);
        positive("d_head", dHead);
        positive("d_mlp", dMlp);
        nonNull("act_fn", actFn);
        nonNull("normalization_type", normalizationType);
        nonNull("ln_placement", lnPlacement);
        nonNull("positional_embedding_type", positionalEmbeddingType);
        nonNull("attention_dir", attentionDir);
        nonNull("attention_type", attentionType);
        if (positionalEmbeddingType == PositionalEmbedding.ROTARY && dHead % 2 != 0) {
            throw new IllegalArgumentException("d_head must be even for rotary positional embeddings (got d_head = "
                    + dHead + ")");
        }
        if (!(rotaryBase > 0) || Double.isInfinite(rotaryBase)) {
            throw new IllegalArgumentException("rotary_base must be a positive finite number (got " + rotaryBase + ")");
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number (got " + eps + ")");
        }
        long layers = weightSharing ? 1 : nLayers;
        long params = (long) nCtx * dModel + (long) dVocab * dModel * 2 + layers * (4L * nHeads * dHead * dModel
                + 2L * dModel * dMlp);
        if (params > 50_000_000L) {
            throw new IllegalArgumentException("the model would have about " + params
                    + " parameters; Attention Lab trains toy models (at most 50 million): lower d_model, d_mlp,"
                    + " n_layers or d_vocab");
        }
        this.dVocab = dVocab;
        this.nCtx = nCtx;
        this.dModel = dModel;
        this.nHeads = nHeads;
        this.nLayers = nLayers;
        this.dHead = dHead;
        this.dMlp = dMlp;
        this.actFn = actFn;
        this.normalizationType = normalizationType;
        this.lnPlacement = lnPlacement;
        this.positionalEmbeddingType = positionalEmbeddingType;
        this.attentionDir = attentionDir;
        this.attentionType = attentionType;
        this.attnOnly = attnOnly;
        this.rotaryBase = rotaryBase;
        this.eps = eps;
        this.weightSharing = weightSharing;
        attentionType.validate(this);       // the combinations this attention type refuses
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be a positive integer (got " + value + ")");
        }
    }

    private static void nonNull(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be set");
        }
    }

    /** @return whether the model has LayerNorms */
    public boolean hasLayerNorm() {
        return normalizationType == Normalization.LN;
    }

    /** @return whether the model has a ln_final (LayerNorm with pre placement) */
    public boolean hasFinalLayerNorm() {
        return hasLayerNorm() && lnPlacement == LnPlacement.PRE;
    }

    /** @return whether attention is causal */
    public boolean causal() {
        return attentionDir == AttentionDir.CAUSAL;
    }

    /** @return H * E, the concatenated width of all heads */
    public int headsWidth() {
        return nHeads * dHead;
    }

    /** @return how many blocks of parameters the model stores: 1 under weight sharing, else n_layers */
    public int parameterLayers() {
        return weightSharing ? 1 : nLayers;
    }

    /**
     * A builder with the specification's defaults: d_head = d_model / n_heads, d_mlp = 4 d_model,
     * gelu_new, LN, pre, standard, causal, softmax, not attn_only, rotary_base 10000, eps 1e-5,
     * no weight sharing.
     *
     * @return a builder; {@link Builder#build()} validates
     */
    public static Builder builder(int dVocab, int nCtx, int dModel, int nHeads, int nLayers) {
        return new Builder(dVocab, nCtx, dModel, nHeads, nLayers);
    }

    /** @return a builder holding this configuration's values (d_head and d_mlp explicit) */
    public Builder toBuilder() {
        Builder b = new Builder(dVocab, nCtx, dModel, nHeads, nLayers);
        b.dHead = dHead;
        b.dMlp = dMlp;
        b.actFn = actFn;
        b.normalizationType = normalizationType;
        b.lnPlacement = lnPlacement;
        b.positionalEmbeddingType = positionalEmbeddingType;
        b.attentionDir = attentionDir;
        b.attentionType = attentionType;
        b.attnOnly = attnOnly;
        b.rotaryBase = rotaryBase;
        b.eps = eps;
        b.weightSharing = weightSharing;
        return b;
    }

    /**
     * @return the configuration as an ordered map of the JSON keys to values (attention_type as
     *     its type string)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d_vocab", dVocab);
        m.put("n_ctx", nCtx);
        m.put("d_model", dModel);
        m.put("n_heads", nHeads);
        m.put("n_layers", nLayers);
        m.put("d_head", dHead);
        m.put("d_mlp", dMlp);
        m.put("act_fn", actFn.json());
        m.put("normalization_type", normalizationType.json());
        m.put("ln_placement", lnPlacement.json());
        m.put("positional_embedding_type", positionalEmbeddingType.json());
        m.put("attention_dir", attentionDir.json());
        m.put("attention_type", attentionType.type());
        m.put("attn_only", attnOnly);
        m.put("rotary_base", rotaryBase);
        m.put("eps", eps);
        m.put("weight_sharing", weightSharing);
        return m;
    }

    /** Mutable builder; every setter returns {@code this}. Not thread-safe. */
    public static final class Builder {
        private int dVocab;
        private int nCtx;
        private int dModel;
        private int nHeads;
        private int nLayers;
        private Integer dHead;
        private Integer dMlp;
        private ActFn actFn = ActFn.GELU_NEW;
        private Normalization normalizationType = Normalization.LN;
        private LnPlacement lnPlacement = LnPlacement.PRE;
        private PositionalEmbedding positionalEmbeddingType = PositionalEmbedding.STANDARD;
        private AttentionDir attentionDir = AttentionDir.CAUSAL;
        private AttentionType attentionType = AttentionTypes.byType(AttentionTypes.DEFAULT);
        private boolean attnOnly;
        private double rotaryBase = 10000.0;
        private double eps = 1e-5;
        private boolean weightSharing;

        private Builder(int dVocab, int nCtx, int dModel, int nHeads, int nLayers) {
            this.dVocab = dVocab;
            this.nCtx = nCtx;
            this.dModel = dModel;
            this.nHeads = nHeads;
            this.nLayers = nLayers;
        }

        public Builder dVocab(int v) { dVocab = v; return this; }
        public Builder nCtx(int v) { nCtx = v; return this; }
        /** Sets d_model; a d_head or d_mlp left unset follows it. */
        public Builder dModel(int v) { dModel = v; return this; }
        public Builder nHeads(int v) { nHeads = v; return this; }
        public Builder nLayers(int v) { nLayers = v; return this; }
        /** @param v d_head, or {@code null} for d_model / n_heads */
        public Builder dHead(Integer v) { dHead = v; return this; }
        /** @param v d_mlp, or {@code null} for 4 d_model */
        public Builder dMlp(Integer v) { dMlp = v; return this; }
        public Builder actFn(ActFn v) { actFn = v; return this; }
        public Builder normalizationType(Normalization v) { normalizationType = v; return this; }
        public Builder lnPlacement(LnPlacement v) { lnPlacement = v; return this; }
        public Builder positionalEmbeddingType(PositionalEmbedding v) { positionalEmbeddingType = v; return this; }
        public Builder attentionDir(AttentionDir v) { attentionDir = v; return this; }
        public Builder attentionType(AttentionType v) { attentionType = v; return this; }
        /**
         * @param type an {@code attention_type} string, resolved through {@link AttentionTypes#byType}
         * @throws IllegalArgumentException naming the registered types if none is called {@code type}
         */
        public Builder attentionType(String type) { attentionType = AttentionTypes.byType(type); return this; }
        public Builder attnOnly(boolean v) { attnOnly = v; return this; }
        public Builder rotaryBase(double v) { rotaryBase = v; return this; }
        public Builder eps(double v) { eps = v; return this; }
        public Builder weightSharing(boolean v) { weightSharing = v; return this; }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the key at fault, e.g. d_model not divisible by
         *     n_heads when d_head is left to its default
         */
        public TransformerConfig build() {
            int h = dHead != null ? dHead : defaultDHead();
            int m = dMlp != null ? dMlp : 4 * dModel;
            return new TransformerConfig(dVocab, nCtx, dModel, nHeads, nLayers, h, m, actFn, normalizationType,
                    lnPlacement, positionalEmbeddingType, attentionDir, attentionType, attnOnly, rotaryBase, eps,
                    weightSharing);
        }

        private int defaultDHead() {
            if (nHeads >= 1 && dModel >= 1 && dModel % nHeads != 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "d_model (%d) is not divisible by n_heads (%d): change one, or set d_head explicitly",
                        dModel, nHeads));
            }
            return nHeads >= 1 ? dModel / nHeads : 0;
        }
    }
}
