package org.attnlab.engine.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;

/**
 * The named parameters of a {@link TransformerConfig} (docs/engine.md, "Parameters"), in a fixed
 * order, with TransformerLens names. The same class holds gradients (same names and shapes).
 *
 * <p>Every parameter comes from a {@link ParamSpec}: the embeddings, LayerNorms, MLP and
 * unembedding are declared here, the attention parameters by the configuration's attention
 * type ({@code AttentionType.parameters}). With {@code weight_sharing} the block parameters
 * exist once, under {@code blocks.0.*}, and every layer uses them ({@link #blockPrefix}); the
 * names of block parameters are built only by {@link #blockPrefix} and {@link #block}.
 */
public final class Parameters {
    private static final String BLOCKS = "blocks.";
    private final TransformerConfig config;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private Param[] list = new Param[0];

    /** Creates all parameters of {@code config}, zero-filled. */
    public Parameters(TransformerConfig config) {
        this.config = config;
        for (ParamSpec s : specs(config)) {
            add(s);
        }
    }

    /**
     * @return every parameter of {@code config} under its full name, in specification order:
     *     embeddings, the blocks' parameters ({@link #blockSpecs}; once with weight sharing), the
     *     final LayerNorm, the unembedding
     */
    public static List<ParamSpec> specs(TransformerConfig config) {
        int v = config.dVocab(), d = config.dModel();
        double embedStd = 1.0 / Math.sqrt(d);
        List<ParamSpec> out = new ArrayList<>();
        out.add(ParamSpec.of("embed.W_E", ParamSpec.Init.normal(embedStd), v, d));
        if (config.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD) {
            out.add(ParamSpec.of("pos_embed.W_pos", ParamSpec.Init.normal(embedStd), config.nCtx(), d));
        }
        List<ParamSpec> block = blockSpecs(config);
        for (int l = 0; l < config.parameterLayers(); l++) {
            for (ParamSpec s : block) {
                out.add(s.named(BLOCKS + l + "." + s.name()));
            }
        }
        if (config.hasFinalLayerNorm()) {
            out.add(ParamSpec.of("ln_final.w", ParamSpec.Init.ONES, d));
            out.add(ParamSpec.of("ln_final.b", ParamSpec.Init.ZEROS, d));
        }
        out.add(ParamSpec.of("unembed.W_U", ParamSpec.Init.normal(embedStd), d, v));
        out.add(ParamSpec.of("unembed.b_U", ParamSpec.Init.ZEROS, v));
        return out;
    }

    /**
     * The parameters of one block, named relative to {@code blocks.<l>.}: {@code ln1}, the
     * attention kernel's, {@code ln2} and the MLP. Init rules: LayerNorm scales 1, biases 0,
     * weights N(0, 1/fan_in) (LeCun-normal), the MLP's output projection W_out further scaled by
     * 1/sqrt(2 L) as in GPT-2 (the attention kernels do the same for W_O).
     *
     * @return the block's parameters in specification order
     */
    public static List<ParamSpec> blockSpecs(TransformerConfig config) {
        int d = config.dModel(), m = config.dMlp();
        List<ParamSpec> out = new ArrayList<>();
        if (config.hasLayerNorm()) {
            out.add(ParamSpec.of("ln1.w", ParamSpec.Init.ONES, d));
            out.add(ParamSpec.of("ln1.b", ParamSpec.Init.ZEROS, d));
        }
        out.addAll(config.attentionType().parameters(config));
        if (!config.attnOnly()) {
            if (config.hasLayerNorm()) {
                out.add(ParamSpec.of("ln2.w", ParamSpec.Init.ONES, d));
                out.add(ParamSpec.of("ln2.b", ParamSpec.Init.ZEROS, d));
            }
            double resid = residualScale(config);
            out.add(ParamSpec.of("mlp.W_in", ParamSpec.Init.normal(1.0 / Math.sqrt(d)), d, m));
            out.add(ParamSpec.of("mlp.b_in", ParamSpec.Init.ZEROS, m));
            out.add(ParamSpec.of("mlp.W_out", ParamSpec.Init.normal(resid / Math.sqrt(m)), m, d));
            out.add(ParamSpec.of("mlp.b_out", ParamSpec.Init.ZEROS, d));
        }
        return out;
    }

    /**
     * @return {@code 1 / sqrt(2 L)}: GPT-2's extra scale of the projections that write into the
     *     residual stream (W_O, W_out), L = n_layers (the depth, also under weight sharing)
     */
    public static double residualScale(TransformerConfig config) {
        return 1.0 / Math.sqrt(2.0 * config.nLayers());
    }

    private void add(ParamSpec spec) {
        Param p = new Param(spec);
        if (params.putIfAbsent(spec.name(), p) != null) {
            throw new IllegalStateException("two parameters named " + spec.name());
        }
        list = java.util.Arrays.copyOf(list, list.length + 1);
        list[list.length - 1] = p;
    }

    /**
     * @return the parameters in specification order: the live array, so that the transformer's
     *     per-step gradient reduction reads it without a copy or an iterator (do not modify it)
     */
    public Param[] list() {
        return list;
    }

    /**
     * @return the prefix of layer {@code layer}'s parameters, {@code blocks.<l>.}, or
     *     {@code blocks.0.} for every layer under weight sharing
     * @throws IllegalArgumentException if {@code layer} is outside [0, n_layers)
     */
    public String blockPrefix(int layer) {
        if (layer < 0 || layer >= config.nLayers()) {
            throw new IllegalArgumentException("no layer " + layer + " (n_layers = " + config.nLayers() + ")");
        }
        return BLOCKS + (config.weightSharing() ? 0 : layer) + ".";
    }

    /**
     * @param suffix the name after {@code blocks.<l>.}, e.g. {@code attn.W_Q}
     * @return the parameter layer {@code layer} uses (under weight sharing, block 0's)
     * @throws NoSuchElementException if the block has no such parameter
     */
    public Param block(int layer, String suffix) {
        return get(blockPrefix(layer) + suffix);
    }

    /**
     * Random initialization for training, by each parameter's {@link ParamSpec.Init} rule:
     * LayerNorm scales 1, biases 0, embeddings N(0, 1/D), other weights N(0, 1/fan_in), the
     * output projections W_O and W_out further scaled by 1/sqrt(2 L) as in GPT-2. Values are
     * drawn parameter by parameter in specification order. Under weight sharing the draws of
     * layers 1..L-1 are still made (and dropped), so a shared model starts with block 0, the
     * embeddings and the unembedding of the unshared model of the same seed.
     *
     * @param rng the source of randomness; the same state gives the same parameters
     * @return new parameters for {@code config}
     */
    public static Parameters init(TransformerConfig config, RandomGenerator rng) {
        Parameters p = new Parameters(config);
        List<ParamSpec> block = blockSpecs(config);
        int firstBlock = config.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD ? 2 : 1;
        int afterBlocks = firstBlock + config.parameterLayers() * block.size();   // ln_final or unembed
        for (int i = 0; i < p.list.length; i++) {
            if (i == afterBlocks) {
                for (int l = config.parameterLayers(); l < config.nLayers(); l++) {
                    for (ParamSpec s : block) {                // the unshared model's draws for layer l
                        if (s.init().random()) {
                            for (int k = 0; k < s.size(); k++) {
                                rng.nextGaussian();
                            }
                        }
                    }
                }
            }
            Param x = p.list[i];
            fill(x.value().data, x.size(), x.spec().init(), rng);
        }
        return p;
    }

    private static void fill(double[] data, int n, ParamSpec.Init init, RandomGenerator rng) {
        if (!init.random()) {
            java.util.Arrays.fill(data, 0, n, init.value());
            return;
        }
        double std = init.std(), v = init.value();
        for (int i = 0; i < n; i++) {
            data[i] = v == 0 ? std * rng.nextGaussian() : v + std * rng.nextGaussian();
        }
    }

    /** @return the configuration these parameters belong to */
    public TransformerConfig config() {
        return config;
    }

    /**
     * @return the parameter named {@code name}
     * @throws NoSuchElementException if the model has no such parameter
     */
    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) {
            throw new NoSuchElementException("no parameter named " + name);
        }
        return p;
    }

    /** @return whether the model has a parameter named {@code name} */
    public boolean has(String name) {
        return params.containsKey(name);
    }

    /** @return the matrix of parameter {@code name} in compute layout (see {@link Param}) */
    public org.ejml.data.DMatrixRMaj m(String name) {
        return get(name).value();
    }

    /** @return every parameter, in specification order */
    public Collection<Param> all() {
        return Collections.unmodifiableCollection(params.values());
    }

    /** @return the total number of scalar parameters */
    public long count() {
        long n = 0;
        for (Param p : list) {
            n += p.size();
        }
        return n;
    }

    /** Sets every entry to zero (used to clear gradients). */
    public void zero() {
        for (Param p : list) {
            java.util.Arrays.fill(p.value().data, 0, p.size(), 0.0);
        }
    }

    /** @return a deep copy */
    public Parameters copy() {
        Parameters c = new Parameters(config);
        copyInto(c);
        return c;
    }

    /** Copies every value into {@code target}, which must have the same configuration. */
    public void copyInto(Parameters target) {
        Param[] dst = target.list;
        for (int i = 0; i < list.length; i++) {
            Param p = list[i];
            Param q = i < dst.length && dst[i].name().equals(p.name()) ? dst[i] : target.get(p.name());
            System.arraycopy(p.value().data, 0, q.value().data, 0, p.size());
        }
    }

    /** @return the L2 norm over every entry */
    public double norm() {
        double s = 0;
        for (Param p : list) {
            double[] d = p.value().data;
            for (int i = 0; i < p.size(); i++) {
                s += d[i] * d[i];
            }
        }
        return Math.sqrt(s);
    }

    /** Multiplies every entry by {@code factor}. */
    public void scale(double factor) {
        for (Param p : list) {
            double[] d = p.value().data;
            for (int i = 0; i < p.size(); i++) {
                d[i] *= factor;
            }
        }
    }
}
