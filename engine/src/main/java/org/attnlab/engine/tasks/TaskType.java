package org.attnlab.engine.tasks;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of task as the registry ({@link Tasks}) knows it: the names it is made by, the options
 * each name takes (key, default, one-line description) and a factory from validated options.
 * Each task class declares its type once, as a {@code TYPE} constant, and {@link Tasks} lists
 * the types, one line each. Spec: {@code docs/tasks.md} ("How to add a task").
 *
 * <p>Most types have one name ({@link #of}); a type may answer to several (the automata: one
 * name per automaton, with different defaults) and accept names it does not list in menus
 * ({@link #aliases()}: S_3, S_4, S_6 next to the listed {@code s5}).
 */
public interface TaskType {

    /** @return the names listed in menus and help, in order, e.g. {@code ["lego"]} */
    List<String> names();

    /** @return further names {@link Tasks#byName} accepts but menus do not list; none by default */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * @param name one of {@link #names()} or {@link #aliases()}
     * @return the options task {@code name} takes, in the order help lists them (also the
     *     order of the error that lists them)
     */
    List<TaskOption> options(String name);

    /**
     * Builds task {@code name}.
     *
     * @param name    one of {@link #names()} or {@link #aliases()}
     * @param options the given options, already checked against {@link #options(String)}
     * @return the task; its {@link Task#name()} is {@code name} and {@link Task#options()} rebuild it
     * @throws IllegalArgumentException for a value that does not parse or is out of range, naming the option
     */
    Task create(String name, TaskOptions options);

    /**
     * @param name    the task's one name
     * @param options its options
     * @param factory builds the task from validated options
     * @return a type with one name and no aliases
     */
    static TaskType of(String name, List<TaskOption> options, Function<TaskOptions, Task> factory) {
        Objects.requireNonNull(name, "name");
        List<TaskOption> opts = List.copyOf(options);
        Objects.requireNonNull(factory, "factory");
        return new TaskType() {
            @Override
            public List<String> names() {
                return List.of(name);
            }

            @Override
            public List<TaskOption> options(String n) {
                return opts;
            }

            @Override
            public Task create(String n, TaskOptions o) {
                return factory.apply(o);
            }

            @Override
            public String toString() {
                return "TaskType[" + name + "]";
            }
        };
    }
}
