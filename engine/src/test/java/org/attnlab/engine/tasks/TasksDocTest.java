package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code docs/tasks.md} lists every registered task with the options and defaults the registry declares. */
class TasksDocTest {
    private static final Path DOC = Path.of("..", "docs", "tasks.md");

    @Test
    void theTaskContractListsEveryTaskAndItsOptionsAsRegistered() throws Exception {
        String doc = Files.readString(DOC);
        List<String> lines = doc.lines().toList();
        for (TaskType type : Tasks.types()) {
            for (String name : type.names()) {
                assertTrue(doc.contains("`" + name + "`"), "docs/tasks.md names task " + name);
                List<TaskOption> options = Tasks.options(name);
                if (type.names().size() == 1) {              // a table of the task's options
                    for (TaskOption o : options) {
                        String row = "| `" + o.key() + "` | " + (o.derived() ? "`" + o.defaultValue() + "`" : o.defaultValue())
                                + " |";
                        assertTrue(doc.contains(row), "docs/tasks.md has the row " + row + " for " + name);
                    }
                } else {                                     // one row per name, its options in the last column
                    String row = lines.stream().filter(l -> l.startsWith("| `" + name + "`")).findFirst().orElse("");
                    for (TaskOption o : options) {
                        String entry = "`" + o.key() + "` [" + o.defaultValue() + "]";
                        assertTrue(row.contains(entry), "docs/tasks.md's row of " + name + " has " + entry + ": " + row);
                    }
                }
            }
        }
        assertTrue(doc.contains("`v = + 1 ;` or `v = - 1 ;`"), "the doc says LEGO's root is + 1 or - 1");
    }
}
