package org.attnlab.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;

/**
 * AdamW (Loshchilov and Hutter 2019) with PyTorch's semantics ({@code torch.optim.AdamW}):
 * for parameters of rank >= 2 first {@code p *= 1 - lr * weight_decay}; then for all,
 * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}.
 *
 * <p>Rank is that of the TransformerLens shape, so {@code attn.b_Q [H, E]} is decayed, as in
 * the reference. Not thread-safe.
 */
public final class AdamW {
    /**
     * Hyperparameters.
     *
     * @param lr          learning rate (the schedule may scale it per step)
     * @param beta1       first-moment decay, in [0, 1)
     * @param beta2       second-moment decay, in [0, 1)
     * @param eps         denominator epsilon, &gt; 0
     * @param weightDecay decoupled weight decay, &gt;= 0
     */
    public record Settings(double lr, double beta1, double beta2, double eps, double weightDecay) {
        /** @throws IllegalArgumentException naming the setting out of range */
        public Settings {
            if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("lr must be >= 0 and finite (got " + lr + ")");
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1) (got " + beta1 + ")");
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1) (got " + beta2 + ")");
            if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be > 0 (got " + eps + ")");
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weight_decay must be >= 0 (got " + weightDecay + ")");
            }
        }

        /** The settings of the golden files: lr 1e-2, betas (0.9, 0.98), eps 1e-8, weight decay 0.1. */
        public static Settings golden() {
            return new Settings(1e-2, 0.9, 0.98, 1e-8, 0.1);
        }

        /**
         * Parses {@code lr,beta1,beta2,eps,weight_decay}.
         *
         * @throws IllegalArgumentException if there are not five numbers or one is out of range
         */
        public static Settings parse(String csv) {
            String[] parts = csv.split(",", -1);
            if (parts.length != 5) {
                throw new IllegalArgumentException("expected lr,beta1,beta2,eps,weight_decay (five numbers), got '"
                        + csv + "'");
            }
            double[] x = new double[5];
            String[] names = {"lr", "beta1", "beta2", "eps", "weight_decay"};
            for (int i = 0; i < 5; i++) {
                if (parts[i].isBlank()) {
                    throw new IllegalArgumentException(names[i] + " is missing in '" + csv + "'");
                }
                try {
                    x[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(names[i] + ": '" + parts[i].trim() + "' is not a number");
                }
            }
            return new Settings(x[0], x[1], x[2], x[3], x[4]);
        }
    }

    private final Settings settings;
    private final Map<String, double[]> m = new LinkedHashMap<>();
    private final Map<String, double[]> v = new LinkedHashMap<>();
    private long step;

    // Arrays of the last step's parameters, gradients and moments, in parameter order, so that a
    // steady-state step allocates nothing; rebuilt when the parameter or gradient objects change
    // or the moments are restored.
    private Parameters cachedParams, cachedGrads;
    private double[][] pData = new double[0][], gData, mData, vData;
    private int[] sizes;
    private boolean[] decays;

    /** @param settings hyperparameters; state (m, v) starts at zero, step at 0 */
    public AdamW(Settings settings) {
        this.settings = settings;
    }

    /** @return the hyperparameters */
    public Settings settings() {
        return settings;
    }

    /** @return the number of steps taken */
    public long stepCount() {
        return step;
    }

    /** One step at the configured learning rate. */
    public void step(Parameters params, Parameters grads) {
        step(params, grads, settings.lr());
    }

    /**
     * One step at learning rate {@code lr} (a schedule's value for this step).
     *
     * @param params updated in place
     * @param grads  gradients of the same configuration, not modified
     */
    public void step(Parameters params, Parameters grads, double lr) {
        if (params != cachedParams || grads != cachedGrads) {
            bind(params, grads);
        }
        step++;
        double b1 = settings.beta1(), b2 = settings.beta2(), eps = settings.eps(), wd = settings.weightDecay();
        double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
        double decayFactor = 1 - lr * wd;
        for (int k = 0; k < pData.length; k++) {
            double[] pd = pData[k], gd = gData[k], md = mData[k], vd = vData[k];
            int n = sizes[k];
            boolean decay = decays[k];
            for (int i = 0; i < n; i++) {
                double x = pd[i];
                if (decay) {
                    x = x * decayFactor;
                }
                double g = gd[i];
                md[i] = b1 * md[i] + (1 - b1) * g;
                vd[i] = b2 * vd[i] + (1 - b2) * g * g;
                double mh = md[i] / bc1;
                double vh = vd[i] / bc2;
                pd[i] = x - lr * mh / (Math.sqrt(vh) + eps);
            }
        }
    }

    /** Looks up (creating at zero) the moments of every parameter, in parameter order. */
    private void bind(Parameters params, Parameters grads) {
        int count = params.all().size(), k = 0;
        pData = new double[count][];
        gData = new double[count][];
        mData = new double[count][];
        vData = new double[count][];
        sizes = new int[count];
        decays = new boolean[count];
        for (Param p : params.all()) {
            int n = p.size();
            pData[k] = p.value().data;
            gData[k] = grads.get(p.name()).value().data;
            mData[k] = m.computeIfAbsent(p.name(), key -> new double[n]);
            vData[k] = v.computeIfAbsent(p.name(), key -> new double[n]);
            sizes[k] = n;
            decays[k] = p.rank() >= 2;
            k++;
        }
        cachedParams = params;
        cachedGrads = grads;
    }

    /**
     * @return the first and second moments by parameter name (live arrays, in compute layout)
     *     for saving in a checkpoint
     */
    public Map<String, double[][]> state() {
        Map<String, double[][]> s = new LinkedHashMap<>();
        for (String k : m.keySet()) {
            s.put(k, new double[][] {m.get(k), v.get(k)});
        }
        return s;
    }

    /** Restores moments and step count saved by {@link #state()}. */
    public void restore(Map<String, double[][]> state, long steps) {
        cachedParams = null;
        m.clear();
        v.clear();
        for (Map.Entry<String, double[][]> e : state.entrySet()) {
            m.put(e.getKey(), e.getValue()[0].clone());
            v.put(e.getKey(), e.getValue()[1].clone());
        }
        this.step = steps;
    }
}
