package org.attnlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.attnlab.engine.attention.AttentionKernels;
import org.junit.jupiter.api.Test;

/**
 * The registry the configuration finds attention types in: the services file's classes, once
 * each, in its order, each the kernel {@code AttentionKernels} hands out.
 */
class AttentionTypesTest {
    @Test
    void theServicesFileRegistersEveryTypeOnceInItsOrder() throws IOException {
        String file = "META-INF/services/" + AttentionType.class.getName();
        List<String> classes;
        try (InputStream in = AttentionType.class.getClassLoader().getResourceAsStream(file)) {
            assertTrue(in != null, file + " is not on the classpath");
            classes = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
        assertEquals(List.of("org.attnlab.engine.attention.SoftmaxAttention",
                "org.attnlab.engine.attention.LinearAttention"), classes);
        assertEquals(classes, AttentionTypes.all().stream().map(t -> t.getClass().getName()).toList());
        assertEquals(List.of("softmax", "linear"), AttentionTypes.types());
        for (int i = 0; i < classes.size(); i++) {
            assertSame(AttentionKernels.all().get(i), AttentionTypes.all().get(i), "one instance per type");
        }
    }

    @Test
    void theDefaultIsSoftmaxAndAnUnknownTypeNamesTheRegisteredOnes() {
        assertSame(AttentionKernels.SOFTMAX, AttentionTypes.byType(AttentionTypes.DEFAULT));
        assertSame(AttentionKernels.SOFTMAX, TransformerConfig.builder(5, 4, 8, 2, 1).build().attentionType());
        assertSame(AttentionKernels.LINEAR, AttentionTypes.byType("linear"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttentionTypes.byType("aft"));
        assertEquals("unknown attention_type 'aft' (registered: softmax, linear)", e.getMessage());
    }
}
