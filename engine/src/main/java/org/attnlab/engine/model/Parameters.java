package org.attnlab.engine.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;

/**
 * The named parameters of a {@link TransformerConfig} (engine.md, "Parameters"), in a fixed
 * order, with TransformerLens names. The same class holds gradients (same names and shapes).
 */
public final class Parameters {
    private final TransformerConfig config;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private Param[] list = new Param[0];

    /** Creates all parameters of {@code config}, zero-filled. */
    public Parameters(TransformerConfig config) {
        this.config = config;
        int v = config.dVocab(), d = config.dModel(), h = config.nHeads(), e = config.dHead(), m = config.dMlp();
        add("embed.W_E", v, d);
        if (config.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD) {
            add("pos_embed.W_pos", config.nCtx(), d);
        }
        for (int l = 0; l < config.nLayers(); l++) {
            String p = "blocks." + l + ".";
            if (config.hasLayerNorm()) {
                add(p + "ln1.w", d);
                add(p + "ln1.b", d);
            }
            for (String x : new String[] {"Q", "K", "V"}) {
                add(p + "attn.W_" + x, h, d, e);
                add(p + "attn.b_" + x, h, e);
            }
            add(p + "attn.W_O", h, e, d);
            add(p + "attn.b_O", d);
            if (!config.attnOnly()) {
                if (config.hasLayerNorm()) {
                    add(p + "ln2.w", d);
                    add(p + "ln2.b", d);
                }
                add(p + "mlp.W_in", d, m);
                add(p + "mlp.b_in", m);
                add(p + "mlp.W_out", m, d);
                add(p + "mlp.b_out", d);
            }
        }
        if (config.hasFinalLayerNorm()) {
            add("ln_final.w", d);
            add("ln_final.b", d);
        }
        add("unembed.W_U", d, v);
        add("unembed.b_U", v);
    }

    private void add(String name, int... shape) {
        Param p = new Param(name, shape);
        params.put(name, p);
        list = java.util.Arrays.copyOf(list, list.length + 1);
        list[list.length - 1] = p;
    }

    /** @return the parameters in specification order (the live array: do not modify) */
    Param[] list() {
        return list;
    }

    /**
     * Random initialization for training: LayerNorm scales 1, biases 0, embeddings N(0, 0.02^2)
     * scaled up for tiny widths to N(0, 1/D), other weights N(0, 1/fan_in) (LeCun-normal), with
     * the output projections W_O and W_out further scaled by 1/sqrt(2 L) as in GPT-2.
     *
     * @param rng the source of randomness; the same state gives the same parameters
     * @return new parameters for {@code config}
     */
    public static Parameters init(TransformerConfig config, RandomGenerator rng) {
        Parameters p = new Parameters(config);
        double resid = 1.0 / Math.sqrt(2.0 * config.nLayers());
        for (Param x : p.all()) {
            String n = x.name();
            double[] data = x.value().data;
            double std;
            if (n.endsWith(".w") && (n.contains("ln"))) {
                java.util.Arrays.fill(data, 0, x.size(), 1.0);
                continue;
            } else if (n.contains(".b_") || n.endsWith(".b")) {
                continue;
            } else if (n.equals("embed.W_E") || n.equals("pos_embed.W_pos")) {
                std = 1.0 / Math.sqrt(config.dModel());
            } else if (n.endsWith("W_O")) {
                std = resid / Math.sqrt(config.headsWidth());
            } else if (n.endsWith("W_out")) {
                std = resid / Math.sqrt(config.dMlp());
            } else if (n.endsWith("W_in") || n.endsWith("W_U") || n.endsWith("W_Q") || n.endsWith("W_K")
                    || n.endsWith("W_V")) {
                std = 1.0 / Math.sqrt(config.dModel());
            } else {
                throw new IllegalStateException("no initialization rule for " + n);
            }
            for (int i = 0; i < x.size(); i++) {
                data[i] = std * rng.nextGaussian();
            }
        }
        return p;
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
