package dev.loomchat.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Account password hashes: Argon2id (RFC 9106) by Bouncy Castle, written as PHC strings,
 * {@code $argon2id$v=19$m=MEMORY_KIB,t=ITERATIONS,p=LANES$SALT$HASH} (salt and hash in base64
 * without padding), so that every hash carries the parameters it was made with and a later
 * change of the defaults still verifies the old ones.
 *
 * <p>Cost: a hash takes {@link #memoryKib} KiB and a few tens of milliseconds of one core
 * (README "Accounts" has the number measured). At most {@link #concurrency} hashes run at once;
 * further callers (virtual threads) wait their turn, so a crowd of logins costs time, never
 * more memory than that.
 *
 * <p>Threading: safe from any thread; the caller's thread does the work.
 */
public final class Argon2idHasher {

    /** RFC 9106's second recommended option, scaled for a chat server: 19 MiB, 2 passes (OWASP's minimum). */
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 2;
    public static final int DEFAULT_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final int concurrency;
    private final Semaphore permits;
    private final SecureRandom random = new SecureRandom();

    /** The defaults; as many hashes at once as there are cores. */
    public Argon2idHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public Argon2idHasher(int memoryKib, int iterations, int parallelism, int concurrency) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1 || concurrency < 1) {
            throw new IllegalArgumentException("bad Argon2 parameters m=" + memoryKib + " t=" + iterations
                    + " p=" + parallelism + " (concurrency " + concurrency + ")");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency, true);
    }

    public int memoryKib() {
        return memoryKib;
    }

    public int concurrency() {
        return concurrency;
    }

    /** A new hash of {@code password} with a fresh random salt, as a PHC string. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches the PHC string {@code phc}, with the parameters stored in
     * it (compared in constant time). A string that is not an Argon2id PHC string matches nothing.
     */
    public boolean verify(String password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int passes = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (memory > 4 * 1024 * 1024 || passes < 1 || lanes < 1 || memory < 8 * lanes) {
            return false; // not one we would make; and bounds what a tampered row can cost
        }
        byte[] expected = B64_DECODE.decode(m.group(5));
        byte[] actual = derive(password, B64_DECODE.decode(m.group(4)), memory, passes, lanes, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] derive(String password, byte[] salt, int memory, int passes, int lanes, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        permits.acquireUninterruptibly();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            permits.release();
        }
        return out;
    }
}
