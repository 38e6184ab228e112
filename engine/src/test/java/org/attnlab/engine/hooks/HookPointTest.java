package org.attnlab.engine.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Typed hook points print the TransformerLens names of docs/engine.md and read them back. */
class HookPointTest {
    @Test
    void everySiteAndLayerRoundTrips() {
        Set<String> names = new HashSet<>();
        for (HookPoint.Site s : HookPoint.Site.values()) {
            if (s.inBlock()) {
                for (int l : new int[] {0, 1, 2, 5, 9, 10, 11, 99, 1234}) {
                    HookPoint p = HookPoint.of(l, s);
                    assertEquals(p, HookPoint.parse(p.name()), p.name());
                    assertEquals("blocks." + l + "." + s.suffix(), p.name());
                    assertTrue(names.add(p.name()), "names are distinct: " + p.name());
                }
            } else {
                HookPoint p = HookPoint.of(s);
                assertSame(p, HookPoint.parse(p.name()));
                assertEquals(s.suffix(), p.name());
                assertEquals(-1, p.layer());
                assertTrue(names.add(p.name()));
            }
        }
        assertEquals(HookPoint.EMBED, HookPoint.parse("hook_embed"));
        assertEquals(HookPoint.LOGITS, HookPoint.parse("logits"));
        assertEquals(HookPoint.of(3, HookPoint.Site.ATTN_PATTERN), HookPoint.parse("blocks.3.attn.hook_pattern"));
        assertEquals("blocks.3.attn.hook_pattern", HookPoint.of(3, HookPoint.Site.ATTN_PATTERN).toString());
    }

    @Test
    void theNamesAreThoseOfTheSpecification() {
        assertEquals("hook_pos_embed", HookPoint.POS_EMBED.name());
        assertEquals("ln_final.hook_normalized", HookPoint.LN_FINAL.name());
        String[] block = {"hook_resid_pre", "attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_attn_scores",
            "attn.hook_pattern", "attn.hook_z", "hook_attn_out", "hook_resid_mid", "mlp.hook_pre", "mlp.hook_post",
            "hook_mlp_out", "hook_resid_post"};
        int i = 0;
        for (HookPoint.Site s : HookPoint.Site.values()) {
            if (s.inBlock()) {
                assertEquals(block[i++], s.suffix(), "block sites in forward order");
            }
        }
        assertEquals(block.length, i);
        assertTrue(HookPoint.Site.ATTN_Z.perHead() && HookPoint.Site.ATTN_Q.perHead());
        assertTrue(!HookPoint.Site.ATTN_PATTERN.perHead() && !HookPoint.Site.RESID_POST.perHead());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "blocks.", "blocks..hook_resid_pre", "blocks.x.hook_resid_pre", "blocks.-1.hook_z",
        "blocks.01.hook_resid_pre", "blocks.0", "blocks.0.", "blocks.0.hook_embed", "blocks.0.attn.hook_zz",
        "blocks.0.hook_z", "hook_resid_pre", "attn.hook_pattern", "embed", "Logits", "blocks.0.attn.hook_pattern.x",
        "blocks.123456.hook_resid_pre"})
    void badNamesAreRejectedWithAClearMessage(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HookPoint.parse(bad));
        assertTrue(e.getMessage().contains("'" + bad + "'"), "names the bad name: " + e.getMessage());
        assertTrue(e.getMessage().contains("blocks.<layer>"), "says what a name looks like: " + e.getMessage());
    }

    @Test
    void aBadBlockSiteNamesTheKnownOnes() {
        String m = assertThrows(IllegalArgumentException.class, () -> HookPoint.parse("blocks.0.attn.hook_zz"))
                .getMessage();
        assertTrue(m.contains("attn.hook_pattern") && m.contains("hook_resid_post"), m);
        assertThrows(IllegalArgumentException.class, () -> HookPoint.parse(null));
    }

    @Test
    void layersMustFitTheSite() {
        assertThrows(IllegalArgumentException.class, () -> HookPoint.of(-1, HookPoint.Site.ATTN_Z));
        assertThrows(IllegalArgumentException.class, () -> new HookPoint(0, HookPoint.Site.EMBED));
        assertThrows(IllegalArgumentException.class, () -> HookPoint.of(HookPoint.Site.RESID_PRE));
        HookPoint[] layer = HookPoint.ofLayer(4);
        for (HookPoint.Site s : HookPoint.Site.values()) {
            assertEquals(s.inBlock() ? HookPoint.of(4, s) : null, layer[s.ordinal()]);
        }
    }
}
