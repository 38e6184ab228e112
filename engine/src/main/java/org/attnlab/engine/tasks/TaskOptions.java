package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code key=value} options given for one task, checked against the options its type
 * declares ({@link TaskType#options(String)}) and read as typed values. Made by
 * {@link Tasks#byName(String, Map)} and handed to the type's factory; every error names the
 * task and the key.
 */
public final class TaskOptions {
    private final String task;
    private final Map<String, TaskOption> declared = new LinkedHashMap<>();
    private final Map<String, String> values;

    /**
     * @param task     the task name the options were given for (named in errors)
     * @param declared the options the task takes
     * @param values   the given {@code key -> value} strings
     * @throws IllegalArgumentException for a key the task does not declare, listing its options
     */
    TaskOptions(String task, List<TaskOption> declared, Map<String, String> values) {
        this.task = Objects.requireNonNull(task, "task");
        for (TaskOption o : declared) {
            this.declared.put(o.key(), o);
        }
        this.values = new HashMap<>(Objects.requireNonNull(values, "options"));
        for (String k : values.keySet()) {
            if (!this.declared.containsKey(k)) {
                throw new IllegalArgumentException("unknown option '" + k + "' for task '" + task
                        + "'; its options are " + String.join(", ", new ArrayList<>(this.declared.keySet())));
            }
        }
    }

    /** @return the task name the options were given for, e.g. {@code "s4"} */
    public String task() {
        return task;
    }

    /** @return whether {@code key} was given */
    public boolean has(String key) {
        return values.containsKey(declared(key).key());
    }

    /**
     * @return {@code key} as an integer, or its declared literal default
     * @throws IllegalArgumentException if the value is not an integer
     */
    public int integer(String key) {
        return integer(key, parseInteger(key, literalDefault(key)));
    }

    /** @return {@code key} as an integer, or {@code fallback} if it was not given (for a derived default) */
    public int integer(String key, int fallback) {
        String v = values.get(declared(key).key());
        return v == null ? fallback : parseInteger(key, v);
    }

    /**
     * @return {@code key} as a finite number, or its declared literal default
     * @throws IllegalArgumentException if the value is not a finite number
     */
    public double real(String key) {
        return real(key, parseReal(key, literalDefault(key)));
    }

    /** @return {@code key} as a finite number, or {@code fallback} if it was not given (for a derived default) */
    public double real(String key, double fallback) {
        String v = values.get(declared(key).key());
        return v == null ? fallback : parseReal(key, v);
    }

    /**
     * @return {@code key} as {@code true} / {@code false}, or its declared literal default
     * @throws IllegalArgumentException if the value is neither
     */
    public boolean bool(String key) {
        String v = values.get(declared(key).key());
        return parseBool(key, v == null ? literalDefault(key) : v);
    }

    private TaskOption declared(String key) {
        TaskOption o = declared.get(key);
        if (o == null) {
            throw new IllegalStateException("task '" + task + "' reads option '" + key + "' but does not declare it");
        }
        return o;
    }

    private String literalDefault(String key) {
        TaskOption o = declared(key);
        if (o.derived()) {
            throw new IllegalStateException("option " + key + " of task '" + task + "' has a derived default ("
                    + o.defaultValue() + "): read it with a fallback");
        }
        return o.defaultValue();
    }

    private int parseInteger(String key, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " of task '" + task
                    + "' must be an integer, got '" + v + "'", e);
        }
    }

    private double parseReal(String key, String v) {
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("option " + key + " of task '" + task
                + "' must be a number, got '" + v + "'");
    }

    private boolean parseBool(String key, String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + key + " of task '" + task
                    + "' must be true or false, got '" + v + "'");
        };
    }
}
