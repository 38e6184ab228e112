package org.attnlab.engine.tasks;

import java.util.Objects;

/**
 * One option a task type takes ({@code --set key=value} on the command line, {@code set:} in a
 * lesson), as the registry lists it: the key, its default and a one-line description.
 *
 * <p>A literal default ({@code derived == false}) is the value the task is built with when the
 * option is not given, written as it would be given ({@code "6"}, {@code "true"},
 * {@code "0.5"}); {@link TaskOptions} reads it from here, so it is declared once. A derived
 * default depends on other options or on the task's name and is a short rule for people
 * ({@code "n_var"}, {@code "1/n"}); the task's factory computes it.
 *
 * @param key          the option key, e.g. {@code "n_var"}
 * @param defaultValue the literal default, or the rule of a derived one
 * @param derived      whether {@code defaultValue} is a rule rather than a value
 * @param description  one line: what the option changes and its range
 */
public record TaskOption(String key, String defaultValue, boolean derived, String description) {

    /** @throws IllegalArgumentException if a field is blank */
    public TaskOption {
        for (String s : new String[] {key, defaultValue, description}) {
            if (Objects.requireNonNull(s, "task option field").isBlank()) {
                throw new IllegalArgumentException("a task option needs a key, a default and a description");
            }
        }
    }

    /** @return an option with a literal default */
    public static TaskOption of(String key, String defaultValue, String description) {
        return new TaskOption(key, defaultValue, false, description);
    }

    /** @return an option whose default the factory derives; {@code rule} says how, e.g. {@code "n_var"} */
    public static TaskOption derived(String key, String rule, String description) {
        return new TaskOption(key, rule, true, description);
    }

    /** @return e.g. {@code "n_var [6]: number of variables"} */
    @Override
    public String toString() {
        return key + " [" + defaultValue + "]: " + description;
    }
}
