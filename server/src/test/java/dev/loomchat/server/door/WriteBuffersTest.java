package dev.loomchat.server.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The writers' buffer pool: reuse, and bounds both ways. */
class WriteBuffersTest {

    @Test
    void aBufferGivenBackIsTakenAgainInsteadOfANewOne() {
        WriteBuffers pool = new WriteBuffers(2, 128);
        byte[] first = pool.take();
        assertEquals(128, first.length);

        pool.give(first);

        assertSame(first, pool.take());
    }

    @Test
    void anEmptyPoolAllocatesAndAFullOneDropsWhatIsGivenBack() {
        WriteBuffers pool = new WriteBuffers(1, 64);
        byte[] a = pool.take();
        byte[] b = pool.take();
        assertNotSame(a, b, "empty pool: a new buffer each time");

        pool.give(a);
        pool.give(b);

        assertEquals(1, pool.pooled(), "never more than the capacity");
    }

    @Test
    void aForeignSizedArrayIsNotPooled() {
        WriteBuffers pool = new WriteBuffers(4, 64);
        pool.give(new byte[10]);
        assertEquals(0, pool.pooled());
    }
}
