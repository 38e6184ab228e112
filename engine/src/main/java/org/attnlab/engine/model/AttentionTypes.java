package org.attnlab.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The registered attention types: every value {@code attention_type} may take (docs/engine.md,
 * "Attention kernels"). A type registers with one line, its class name, in
 * {@code META-INF/services/org.attnlab.engine.model.AttentionType} (read by
 * {@link ServiceLoader}, in the order of that file); this package never names an implementation,
 * so the configuration sits below the kernels that compute attention. Each type is instantiated
 * once, here: compare types by identity or by {@link AttentionType#type()}.
 */
public final class AttentionTypes {
    /** The {@code attention_type} of a configuration that does not name one. */
    public static final String DEFAULT = "softmax";

    private AttentionTypes() {
    }

    /** The types, loaded once on first use (the holder idiom: no lock on later calls). */
    private static final class Registry {
        static final List<AttentionType> ALL = load();

        private static List<AttentionType> load() {
            List<AttentionType> out = new ArrayList<>();
            try {
                for (AttentionType t : ServiceLoader.load(AttentionType.class, AttentionType.class.getClassLoader())) {
                    for (AttentionType o : out) {
                        if (o.type().equals(t.type())) {
                            throw new IllegalStateException("two attention types are called '" + t.type() + "': "
                                    + o.getClass().getName() + " and " + t.getClass().getName());
                        }
                    }
                    out.add(t);
                }
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("cannot load the attention types listed in META-INF/services/"
                        + AttentionType.class.getName() + ": " + e.getMessage(), e);
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("no attention type is registered (META-INF/services/"
                        + AttentionType.class.getName() + " is missing from the classpath)");
            }
            return List.copyOf(out);
        }
    }

    /** @return every registered type, in registration order */
    public static List<AttentionType> all() {
        return Registry.ALL;
    }

    /**
     * @param type an {@code attention_type} value
     * @return the type registered under it
     * @throws IllegalArgumentException naming the registered types if none is called {@code type}
     */
    public static AttentionType byType(String type) {
        for (AttentionType t : Registry.ALL) {
            if (t.type().equals(type)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attention_type '" + type + "' (registered: "
                + String.join(", ", types()) + ")");
    }

    /** @return the registered {@code attention_type} values, in registration order */
    public static List<String> types() {
        List<String> out = new ArrayList<>(Registry.ALL.size());
        for (AttentionType t : Registry.ALL) {
            out.add(t.type());
        }
        return out;
    }
}
