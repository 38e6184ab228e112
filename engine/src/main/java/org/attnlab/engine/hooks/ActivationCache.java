package org.attnlab.engine.hooks;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Copies of every activation of one forward pass, keyed by {@link HookPoint} (as
 * TransformerLens's {@code ActivationCache}), plus {@code logits}. Entries can also be looked up
 * by their TransformerLens name ({@link #get(String)}), as files and tests do. Entries are
 * immutable copies: a later forward pass does not change them.
 */
public final class ActivationCache implements ActivationHook {
    private final Map<HookPoint, Activation> entries = new LinkedHashMap<>();

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
    public void apply(HookPoint point, int[] shape, double[] data) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        entries.put(point, new Activation(shape.clone(), Arrays.copyOf(data, n)));
    }

    /**
     * @return the activation cached at {@code point}
     * @throws NoSuchElementException naming the hook if it was not computed (e.g.
     *     {@code hook_attn_scores} under linear attention)
     */
    public Activation get(HookPoint point) {
        Activation a = entries.get(point);
        if (a == null) {
            throw new NoSuchElementException("no activation cached under " + point.name());
        }
        return a;
    }

    /**
     * @param name a TransformerLens hook name, e.g. {@code blocks.0.attn.hook_pattern}
     * @return the activation cached under it
     * @throws IllegalArgumentException if {@code name} is not a hook name ({@link HookPoint#parse})
     * @throws NoSuchElementException naming the hook if it was not computed
     */
    public Activation get(String name) {
        return get(HookPoint.parse(name));
    }

    /** @return whether {@code point} was cached */
    public boolean has(HookPoint point) {
        return entries.containsKey(point);
    }

    /**
     * @return whether the hook named {@code name} was cached
     * @throws IllegalArgumentException if {@code name} is not a hook name
     */
    public boolean has(String name) {
        return has(HookPoint.parse(name));
    }

    /** @return the cached points in the order the forward pass produced them */
    public Set<HookPoint> points() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** @return the TransformerLens names of the cached points, in the order the forward pass produced them */
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        for (HookPoint p : entries.keySet()) {
            out.add(p.name());
        }
        return Collections.unmodifiableSet(out);
    }

    /** Drops every entry. */
    public void clear() {
        entries.clear();
    }
}
