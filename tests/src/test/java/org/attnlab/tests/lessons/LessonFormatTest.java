package org.attnlab.tests.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.LessonFormatException;
import org.attnlab.lessons.LessonLibrary;
import org.attnlab.lessons.LessonParser;
import org.attnlab.lessons.Step;
import org.attnlab.lessons.HighlightedHead;
import org.attnlab.lessons.StepSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lesson format: steps, inherited setups, predictions, and errors that name the file and line. */
class LessonFormatTest {
    private static final String GOOD = """
            ---
            title: A lesson
            summary: "for the tests: quoted"
            ---

            ## First
            ```lesson
            preset: flipflop16
            set: n_layers=2, lr=0.003
            seed: 7
            view: Training
            highlight: L1H0
            lock: task, preset
            ```
            Text with $q_i \\cdot k_j$ math.

            ```text
            ## not a step: inside a code block
            ```
            ## Second
            ```lesson
            view: Positions
            set: d_model=48
            ```
            ```predict
            question: Which?
            choices: a | b | c
            answer: 2
            explain: because
            ```
            ## Third
            ```lesson
            checkpoint: lessons/checkpoints/x.safetensors
            ```
            The end.
            """;

    @Test
    void stepsInheritTheSetupOfEarlierSteps() throws Exception {
        Lesson l = LessonParser.parse("good.md", GOOD);
        assertEquals("good", l.id());
        assertEquals("A lesson", l.title());
        assertEquals("for the tests: quoted", l.summary());
        assertEquals(List.of("First", "Second", "Third"), l.steps().stream().map(Step::title).toList());
        Step first = l.steps().get(0);
        assertEquals(6, first.line());
        assertTrue(first.markdown().contains("## not a step"), first.markdown());
        assertTrue(!first.markdown().contains("preset:"), "the lesson block is not shown");
        assertEquals(new HighlightedHead(1, 0), first.own().highlight());
        assertEquals(List.of("task", "preset"), first.own().locks());

        StepSetup second = l.steps().get(1).effective();
        assertEquals("flipflop16", second.preset());
        assertEquals(Map.of("n_layers", "2", "lr", "0.003", "d_model", "48"), second.settings());
        assertEquals(7, second.seed());
        assertEquals("Positions", second.view());
        assertEquals(List.of(), second.locks(), "locks hold for their own step only");
        assertEquals(1, l.steps().get(1).prediction().answer());
        assertEquals("b", l.steps().get(1).prediction().answerText());

        StepSetup third = l.steps().get(2).effective();
        assertEquals("lessons/checkpoints/x.safetensors", third.checkpoint());
        assertNull(third.preset(), "a checkpoint starts afresh: the preset comes from it");
        assertEquals(Map.of(), third.settings());
        assertEquals("Positions", third.view(), "the view carries over");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "preset: flipflop16|preset2: flipflop16|unknown key 'preset2'",
        "view: Training|view: Trainings|unknown view 'Trainings'",
        "highlight: L1H0|highlight: layer 1|highlight a head as L<layer>H<head>",
        "lock: task, preset|lock: task, volume|cannot lock 'volume'",
        "set: n_layers=2, lr=0.003|set: n_layerz=2|unknown setting 'n_layerz'",
        "seed: 7|seed: seven|seed must be a whole number",
        "preset: flipflop16|preset: nope|unknown preset 'nope'",
        "answer: 2|answer: d|the answer 'd' is not one of the choices",
        "choices: a | b | c|choices: a|give two or more choices",
        "view: Positions|view Positions|expected 'key: value'",
    })
    void aMistakeIsNamedByFileAndLine(String good, String bad, String reason) {
        int at = GOOD.indexOf(good);
        assertTrue(at >= 0, good);
        String text = GOOD.substring(0, at) + bad + GOOD.substring(at + good.length());
        int line = (int) GOOD.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
        LessonFormatException e = assertThrows(LessonFormatException.class, () -> LessonParser.parse("lesson3.md", text));
        assertTrue(e.getMessage().startsWith("lesson3.md:" + line + ": "), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
        assertEquals(line, e.line());
    }

    @Test
    void structuralMistakes() {
        LessonFormatException unclosed = assertThrows(LessonFormatException.class,
                () -> LessonParser.parse("u.md", "---\ntitle: t\n---\n## A\n```lesson\nview: Training\n"));
        assertEquals("u.md:5: this code block is never closed with ```", unclosed.getMessage());
        LessonFormatException before = assertThrows(LessonFormatException.class,
                () -> LessonParser.parse("b.md", "---\ntitle: t\n---\nhello\n## A\n"));
        assertEquals(4, before.line());
        LessonFormatException noTitle = assertThrows(LessonFormatException.class,
                () -> LessonParser.parse("n.md", "---\nsummary: s\n---\n## A\n"));
        assertTrue(noTitle.getMessage().startsWith("n.md:3: "), noTitle.getMessage());
        LessonFormatException noSteps = assertThrows(LessonFormatException.class,
                () -> LessonParser.parse("e.md", "---\ntitle: t\n---\n\n"));
        assertTrue(noSteps.reason().contains("no steps"), noSteps.getMessage());
    }

    @Test
    void oneBrokenLessonDoesNotStopTheOthers(@TempDir Path assets) throws Exception {
        Path dir = Files.createDirectories(assets.resolve("lessons"));
        Files.writeString(dir.resolve("index.txt"), "# course\nok.md\nbroken.md\nmissing.md\nckpt.md\nalso-ok.md\n");
        Files.writeString(dir.resolve("ok.md"), "---\ntitle: OK\n---\n## One\ntext\n");
        Files.writeString(dir.resolve("broken.md"), "---\ntitle: Broken\n---\n## One\n```lesson\nvieww: Training\n```\n");
        Files.writeString(dir.resolve("ckpt.md"), "---\ntitle: C\n---\n\n## One\n```lesson\n"
                + "checkpoint: lessons/checkpoints/none.safetensors\n```\n");
        Files.writeString(dir.resolve("also-ok.md"), "---\ntitle: Also OK\n---\n## One\n## Two\n");
        LessonLibrary lib = LessonLibrary.load(LessonLibrary.directory(assets));
        assertEquals(List.of("ok", "also-ok"), lib.lessons().stream().map(Lesson::id).toList());
        List<String> problems = lib.problems().stream().map(Exception::getMessage).toList();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("broken.md:6: unknown key 'vieww'"), problems.get(0));
        assertEquals("missing.md: listed in lessons/index.txt but not found", problems.get(1));
        assertTrue(problems.get(2).startsWith("ckpt.md:5: step 'One': checkpoint 'lessons/checkpoints/none"
                + ".safetensors' is not among the assets"), problems.get(2));
    }

    @Test
    void theShippedCourseLoadsWholeFromTheClassPathAndTheSourceTree() {
        LessonLibrary fromJar = LessonLibrary.load(LessonLibrary.classpath(getClass().getClassLoader()));
        assertEquals(List.of(), fromJar.problems().stream().map(Exception::getMessage).toList());
        assertEquals(8, fromJar.lessons().size());
        LessonLibrary fromTree = LessonLibrary.load(LessonLibrary.directory(Path.of("..", "assets")));
        assertEquals(fromJar.lessons(), fromTree.lessons(), "the jar's lessons are the source tree's");
        for (Lesson l : fromJar.lessons()) {
            Step last = l.steps().get(l.steps().size() - 1);
            assertTrue(last.title().startsWith("Try"), l.file() + " ends with something to try, not '" + last.title() + "'");
            for (Step s : l.steps()) {
                if (s.effective().checkpoint() != null) {
                    assertTrue(Files.isRegularFile(Path.of("..", "assets", s.effective().checkpoint())),
                            l.file() + ": " + s.effective().checkpoint());
                }
            }
        }
    }
}
