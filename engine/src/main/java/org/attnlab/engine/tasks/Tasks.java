package org.attnlab.engine.tasks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Creates tasks from their command-line id and {@code key=value} options; {@link Task#options()}
 * gives back the options that rebuild a task, so {@code byName(t.name(), t.options())} equals
 * {@code t} in behaviour.
 *
 * <table>
 * <caption>Names and options (defaults in brackets)</caption>
 * <tr><th>name</th><th>options</th></tr>
 * <tr><td>lego</td><td>n_var [6], n_train [n_var], shuffle [true]</td></tr>
 * <tr><td>parity</td><td>T [16], p0 [0.5]</td></tr>
 * <tr><td>cyclic, dihedral, flipflop, gridworld</td><td>n [5, 4, 2, 5], T [16], p0 [uniform; 0.5 for flipflop]</td></tr>
 * <tr><td>s5 (also s3, s4, s6)</td><td>T [16], p0 [1/3]</td></tr>
 * <tr><td>ffl</td><td>T [64], p [0.8] (probability of an ignore instruction)</td></tr>
 * <tr><td>induction</td><td>n_symbols [26], T [32]</td></tr>
 * <tr><td>sort</td><td>n_digits [3], length [6]</td></tr>
 * </table>
 */
public final class Tasks {

    private static final List<String> NAMES = List.of("lego", "parity", "cyclic", "dihedral", "flipflop",
            "gridworld", "s5", "ffl", "induction", "sort");

    private Tasks() {
    }

    /** @return the task names, in the order a menu should list them (S_n is listed as "s5") */
    public static List<String> names() {
        return NAMES;
    }

    /** @return the task {@code name} with default options */
    public static Task byName(String name) {
        return byName(name, Map.of());
    }

    /**
     * @param name    a cli id from {@link #names()} (or s3, s4, s6)
     * @param options {@code key -> value} strings, e.g. {@code n_var -> 6, shuffle -> false}
     * @throws IllegalArgumentException for an unknown name (listing the known ones), an unknown
     *     option (listing the task's options), a value that does not parse, or one out of range
     */
    public static Task byName(String name, Map<String, String> options) {
        Objects.requireNonNull(name, "name");
        Options o = new Options(name, options);
        Task task = switch (name) {
            case "lego" -> {
                o.allow("n_var", "n_train", "shuffle");
                int nVar = o.integer("n_var", 6);
                yield LegoTask.of(nVar, o.integer("n_train", nVar), o.bool("shuffle", true));
            }
            case "parity" -> {
                o.allow("T", "p0");
                yield AutomatonTask.of(AutomatonTask.Kind.PARITY, 2, o.integer("T", AutomatonTask.DEFAULT_LENGTH),
                        o.real("p0", 0.5));
            }
            case "cyclic", "dihedral", "flipflop", "gridworld" -> {
                o.allow("n", "T", "p0");
                AutomatonTask.Kind kind = AutomatonTask.Kind.valueOf(name.toUpperCase(Locale.ROOT));
                int n = o.integer("n", kind.defaultN());
                yield AutomatonTask.of(kind, n, o.integer("T", AutomatonTask.DEFAULT_LENGTH),
                        o.real("p0", AutomatonTask.defaultP0(kind, n)));
            }
            case "s3", "s4", "s5", "s6" -> {
                o.allow("T", "p0");
                int n = name.charAt(1) - '0';
                yield AutomatonTask.of(AutomatonTask.Kind.SYMMETRIC, n, o.integer("T", AutomatonTask.DEFAULT_LENGTH),
                        o.real("p0", AutomatonTask.defaultP0(AutomatonTask.Kind.SYMMETRIC, n)));
            }
            case "ffl" -> {
                o.allow("T", "p");
                yield FlipFlopLanguageTask.of(o.integer("T", 64), o.real("p", FlipFlopLanguageTask.P_IGNORE_STANDARD));
            }
            case "induction" -> {
                o.allow("n_symbols", "T");
                yield InductionTask.of(o.integer("n_symbols", 26), o.integer("T", 32));
            }
            case "sort" -> {
                o.allow("n_digits", "length");
                yield SortTask.of(o.integer("n_digits", 3), o.integer("length", 6));
            }
            default -> throw new IllegalArgumentException("unknown task '" + name + "'; tasks are "
                    + String.join(", ", NAMES));
        };
        return task;
    }

    /** Reads typed options, naming the task and key in every error. */
    private static final class Options {
        private final String task;
        private final Map<String, String> values;

        Options(String task, Map<String, String> values) {
            this.task = task;
            this.values = Objects.requireNonNull(values, "options");
        }

        void allow(String... keys) {
            List<String> allowed = List.of(keys);
            for (String k : values.keySet()) {
                if (!allowed.contains(k)) {
                    throw new IllegalArgumentException("unknown option '" + k + "' for task '" + task
                            + "'; its options are " + String.join(", ", allowed));
                }
            }
        }

        int integer(String key, int fallback) {
            String v = values.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + key + " of task '" + task
                        + "' must be an integer, got '" + v + "'", e);
            }
        }

        double real(String key, double fallback) {
            String v = values.get(key);
            if (v == null) {
                return fallback;
            }
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

        boolean bool(String key, boolean fallback) {
            String v = values.get(key);
            if (v == null) {
                return fallback;
            }
            return switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("option " + key + " of task '" + task
                        + "' must be true or false, got '" + v + "'");
            };
        }
    }
}
