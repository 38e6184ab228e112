package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named way to corrupt a clean input for activation patching ({@code intervene.ActivationPatching}):
 * the patching view offers a task's {@link Task#corruptions()} by {@link #label()}, builds one
 * choice per {@link Argument} and calls {@link #apply}. Every task can replace one token
 * ({@link #replaceToken(Task)}); LEGO adds flipping one clause's sign, which keeps the sentence a
 * well-formed chain and changes the value of every deeper variable (Meng et al. 2022's
 * "corrupted run", chosen so the clean and corrupted answers differ).
 */
public interface Corruption {

    /** @return a stable id, e.g. {@code "replace_token"}, {@code "sign_flip"} */
    String name();

    /** @return a label for a menu, e.g. {@code "Replace one token"} */
    String label();

    /** @return whether this corruption applies to {@code clean} (e.g. LEGO's needs the task's own T) */
    boolean appliesTo(int[] clean);

    /**
     * @param clean the clean token ids {@code [T]}, one the corruption {@link #appliesTo}; not modified
     * @return the arguments {@link #apply} takes for this input, in order, each with its choices and default
     */
    List<Argument> arguments(int[] clean);

    /**
     * @param clean the clean token ids {@code [T]}; not modified
     * @param args  one value per {@link #arguments(int[])} entry, each one of its values
     * @return the corrupted input with its answer position and, if the corruption knows them, answers
     * @throws IllegalArgumentException if the arguments do not fit or the input is not one the
     *     corruption applies to
     */
    Corrupted apply(int[] clean, int... args);

    /**
     * One argument of a corruption, offered as a choice.
     *
     * @param name         a stable id, e.g. {@code "position"}
     * @param label        the words before the choice, e.g. {@code "position"}, {@code "becomes"}
     * @param values       the values the argument may take
     * @param valueLabels  how each value is shown (a token string, a position number), same length
     * @param defaultValue the value offered first, one of {@code values}
     */
    record Argument(String name, String label, List<Integer> values, List<String> valueLabels, int defaultValue) {
        /** @throws IllegalArgumentException if the lists differ in length or the default is not a value */
        public Argument {
            values = List.copyOf(values);
            valueLabels = List.copyOf(valueLabels);
            if (values.size() != valueLabels.size() || !values.contains(defaultValue)) {
                throw new IllegalArgumentException("argument " + name + ": " + values.size() + " values, "
                        + valueLabels.size() + " labels, default " + defaultValue);
            }
        }

        /** @return the argument over {@code 0..n-1}, labelled by number */
        static Argument range(String name, String label, int from, int to, int defaultValue) {
            List<Integer> v = new ArrayList<>();
            List<String> l = new ArrayList<>();
            for (int i = from; i < to; i++) {
                v.add(i);
                l.add(Integer.toString(i));
            }
            return new Argument(name, label, v, l, defaultValue);
        }

        /** @return the label of {@code value}, or the number itself if it is not one of the values */
        public String labelOf(int value) {
            int i = values.indexOf(value);
            return i < 0 ? Integer.toString(value) : valueLabels.get(i);
        }
    }

    /**
     * A corrupted input with its answer.
     *
     * @param tokens         the corrupted token ids, [T]
     * @param answerPosition where the clean and corrupted answers differ (or the caller's choice)
     * @param correct        the clean answer there, or -1 if unknown (then the model's own answers are used)
     * @param wrong          the corrupted answer there, or -1 if unknown
     * @param description    one line, e.g. "sign of c (depth 2): '+' -> '-'"
     */
    record Corrupted(int[] tokens, int answerPosition, int correct, int wrong, String description) {
    }

    /**
     * Replace one token: arguments {@code position} (0..T-1, default 0), {@code token} (the
     * vocabulary, default the token after the clean one at position 0) and {@code answer} (the
     * position the answer is read at, default T-1). The answers are left to the model.
     *
     * @param task the task whose vocabulary the tokens come from
     * @return the corruption every task offers
     */
    static Corruption replaceToken(Task task) {
        Objects.requireNonNull(task, "task");
        return new Corruption() {
            @Override
            public String name() {
                return "replace_token";
            }

            @Override
            public String label() {
                return "Replace one token";
            }

            @Override
            public boolean appliesTo(int[] clean) {
                return clean.length > 0;
            }

            @Override
            public List<Argument> arguments(int[] clean) {
                Vocabulary vocab = task.vocabulary();
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < vocab.size(); i++) {
                    ids.add(i);
                }
                int t = clean.length;
                return List.of(Argument.range("position", "position", 0, t, 0),
                        new Argument("token", "becomes", ids, vocab.tokens(), (clean[0] + 1) % vocab.size()),
                        Argument.range("answer", "answer at position", 0, t, t - 1));
            }

            @Override
            public Corrupted apply(int[] clean, int... args) {
                checkArity(this, args, 3);
                return replaceToken(task, clean, args[0], args[1], args[2]);
            }
        };
    }

    /**
     * The same input with the token at {@code position} replaced; the answer is left to the model
     * ({@code ActivationPatching.fromModel}), read at {@code answerPosition}.
     *
     * @throws IllegalArgumentException if a position or the token is out of range
     */
    static Corrupted replaceToken(Task task, int[] clean, int position, int token, int answerPosition) {
        if (position < 0 || position >= clean.length || answerPosition < 0 || answerPosition >= clean.length) {
            throw new IllegalArgumentException("position outside [0, " + clean.length + ")");
        }
        int[] out = clean.clone();
        out[position] = token;
        String from = task.vocabulary().token(clean[position]), to = task.vocabulary().token(token);
        return new Corrupted(out, answerPosition, -1, -1, "position " + position + ": '" + from + "' \u2192 '" + to + "'");
    }

    /** @throws IllegalArgumentException unless {@code args} holds {@code n} values */
    private static void checkArity(Corruption c, int[] args, int n) {
        if (args.length != n) {
            throw new IllegalArgumentException(c.name() + " takes " + n + " arguments, got " + Arrays.toString(args));
        }
    }
}
