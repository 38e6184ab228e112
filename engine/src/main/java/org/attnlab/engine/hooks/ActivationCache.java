package org.attnlab.engine.hooks;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Copies of every activation of one forward pass, keyed by the hook names of the engine
 * specification (as TransformerLens's {@code ActivationCache}), plus {@code logits}.
 * Entries are immutable copies: a later forward pass does not change them.
 */
public final class ActivationCache implements ActivationHook {
    private final Map<String, Activation> entries = new LinkedHashMap<>();

    /**
     * One cached activation.
     *
     * @param shape TransformerLens shape, e.g. {@code [B, T, D]}
     * @param data  row-major values
     */
    public record Activation(int[] shape, double[] data) {
        /**
         * @param index one index per dimension
         * @return the value at that index
         * @throws IndexOutOfBoundsException if an index is out of range
         */
        public double get(int... index) {
            if (index.length != shape.length) {
                throw new IndexOutOfBoundsException("expected " + shape.length + " indices, got " + index.length);
            }
            int flat = 0;
            for (int i = 0; i < shape.length; i++) {
                if (index[i] < 0 || index[i] >= shape[i]) {
                    throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of shape "
                            + Arrays.toString(shape));
                }
                flat = flat * shape[i] + index[i];
            }
            return data[flat];
        }
    }

    @Override
    public void apply(String name, int[] shape, double[] data) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        entries.put(name, new Activation(shape.clone(), Arrays.copyOf(data, n)));
    }

    /**
     * @return the activation cached under {@code name}
     * @throws NoSuchElementException naming the hook if it was not computed (e.g.
     *     {@code hook_attn_scores} under linear attention)
     */
    public Activation get(String name) {
        Activation a = entries.get(name);
        if (a == null) {
            throw new NoSuchElementException("no activation cached under " + name);
        }
        return a;
    }

    /** @return whether {@code name} was cached */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** @return the hook names in the order the forward pass produced them */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Drops every entry. */
    public void clear() {
        entries.clear();
    }
}
