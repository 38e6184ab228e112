package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The task registry: creates tasks from their command-line name and {@code key=value} options,
 * and lists the names and each one's options with defaults and descriptions (the CLI's
 * {@code train --help}, {@code docs/tasks.md}). {@link Task#options()} gives back the options
 * that rebuild a task, so {@code byName(t.name(), t.options())} equals {@code t} in behaviour.
 *
 * <p>Each task type is registered once, in {@link #TYPES}; a new task is its class (with its
 * {@code TYPE}) and one line there. Spec: {@code docs/tasks.md}.
 *
 * <table>
 * <caption>Names and options (defaults in brackets)</caption>
 * <tr><th>name</th><th>options</th></tr>
 * <tr><td>lego</td><td>n_var [6], n_train [n_var], shuffle [true]</td></tr>
 * <tr><td>parity</td><td>T [16], p0 [0.5]</td></tr>
 * <tr><td>cyclic, dihedral, flipflop, gridworld</td><td>n [5, 4, 2, 5], T [16], p0 [1/n; 0.5 for the others]</td></tr>
 * <tr><td>s5 (also s3, s4, s6)</td><td>T [16], p0 [1/3]</td></tr>
 * <tr><td>ffl</td><td>T [64], p [0.8] (probability of an ignore instruction)</td></tr>
 * <tr><td>induction</td><td>n_symbols [26], T [32]</td></tr>
 * <tr><td>sort</td><td>n_digits [3], length [6]</td></tr>
 * </table>
 */
public final class Tasks {

    /** The registered task types, in the order menus list their names. */
    private static final List<TaskType> TYPES = List.of(
            LegoTask.TYPE,
            AutomatonTask.TYPE,
            FlipFlopLanguageTask.TYPE,
            InductionTask.TYPE,
            SortTask.TYPE);

    private static final Map<String, TaskType> BY_NAME = new LinkedHashMap<>(); // listed names, then aliases
    private static final List<String> NAMES;

    static {
        List<String> listed = new ArrayList<>();
        for (TaskType type : TYPES) {
            for (String n : type.names()) {
                register(n, type);
                listed.add(n);
            }
        }
        for (TaskType type : TYPES) {
            for (String n : type.aliases()) {
                register(n, type);
            }
        }
        NAMES = List.copyOf(listed);
    }

    private static void register(String name, TaskType type) {
        TaskType before = BY_NAME.putIfAbsent(name, type);
        if (before != null) {
            throw new IllegalStateException("task name '" + name + "' is registered twice: " + before + ", " + type);
        }
    }

    private Tasks() {
    }

    /** @return the task names, in the order a menu should list them (S_n is listed as "s5") */
    public static List<String> names() {
        return NAMES;
    }

    /** @return the registered task types, in menu order */
    public static List<TaskType> types() {
        return TYPES;
    }

    /** @return whether {@code name} is a task name (listed or an alias such as {@code s4}) */
    public static boolean exists(String name) {
        return BY_NAME.containsKey(name);
    }

    /**
     * @param name a name from {@link #names()} or an alias (s3, s4, s6)
     * @return the options task {@code name} takes, with defaults and descriptions, in help order
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static List<TaskOption> options(String name) {
        return type(name).options(name);
    }

    /**
     * @return the display name of task {@code name} with its default options (e.g.
     *     {@code "Cyclic group C5"}), or {@code name} itself if no task has that name (an old or
     *     damaged file still gets a title)
     */
    public static String displayName(String name) {
        return exists(name) ? byName(name).displayName() : name;
    }

    /**
     * The options a file written before an option existed meant: such a file lacks the key, and
     * the task it was trained on is the one without the option, not today's default. LEGO files
     * without {@code fixed_root} (checkpoints and run specs before the root was drawn at random)
     * trained on the fixed root.
     *
     * @param name   the stored task name
     * @param stored the stored options (not modified)
     * @return {@code stored}, with the keys such a file meant added
     */
    public static Map<String, String> storedOptions(String name, Map<String, String> stored) {
        if ("lego".equals(name) && !stored.containsKey(LegoTask.FIXED_ROOT)) {
            Map<String, String> out = new java.util.LinkedHashMap<>(stored);
            out.put(LegoTask.FIXED_ROOT, "true");
            return out;
        }
        return stored;
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
        TaskType type = type(name);
        return type.create(name, new TaskOptions(name, type.options(name), options));
    }

    private static TaskType type(String name) {
        Objects.requireNonNull(name, "name");
        TaskType type = BY_NAME.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; tasks are " + String.join(", ", NAMES));
        }
        return type;
    }
}
