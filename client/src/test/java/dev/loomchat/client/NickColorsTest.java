package dev.loomchat.client;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NickColorsTest {

    @Test
    void sameNickSameColourInAnyCase() {
        assertEquals(NickColors.colorOf("alice"), NickColors.colorOf("alice"));
        assertEquals(NickColors.colorOf("alice"), NickColors.colorOf("ALICE"));
    }

    @Test
    void coloursAreFixedAcrossRunsAndMachines() {
        // String.hashCode is specified by the JLS, so these never change; a change here recolours every user.
        assertEquals(NickColors.colorOf("alice"), NickColors.colorOf("Alice"));
        int[] expected = {NickColors.colorOf("alice"), NickColors.colorOf("bob"), NickColors.colorOf("carol")};
        int[] again = {NickColors.colorOf(new String("alice")), NickColors.colorOf("bo" + "b"), NickColors.colorOf("carol")};
        assertEquals(expected[0], again[0]);
        assertEquals(expected[1], again[1]);
        assertEquals(expected[2], again[2]);
    }

    @Test
    void everyColourIsInThePaletteAndTheyAreSpread() {
        Set<Integer> palette = new HashSet<>();
        for (int c : NickColors.PALETTE) {
            palette.add(c);
        }
        assertEquals(12, palette.size());
        Set<Integer> used = new HashSet<>();
        IntStream.range(0, 200).forEach(i -> {
            int color = NickColors.colorOf("user" + i);
            assertTrue(palette.contains(color));
            used.add(color);
        });
        assertEquals(12, used.size(), "200 similar nicks should use every colour");
    }
}
