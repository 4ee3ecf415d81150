package dev.loomchat.socketserver;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RequestHandlerFactory} named by class, so that another JVM can build it: what
 * {@link Forking} servers need, since their handlers run in child JVM processes (Python's
 * {@code ForkingMixIn} passes {@code RequestHandlerClass} to a forked copy of the process; a JVM
 * cannot fork, so the child builds the handler from its class name instead).
 *
 * <p>Either the handler class itself ({@link #ofClass}, Python's {@code RequestHandlerClass}) or
 * a factory class ({@link #ofFactory}) whose instance makes the handlers, for handlers that need
 * constructor arguments. Either class must be a top-level or static nested class with a no-arg
 * constructor (of any visibility) and be on the class path the child JVM gets (the parent's
 * {@code java.class.path}). State a lambda would capture does not cross a process boundary: a
 * child starts from a fresh JVM, as a Python child starts from a copy.
 *
 * <p>Threading: safe for concurrent use; {@link #newHandler()} may be called from any thread (a
 * factory class's instance is then shared by those threads, as a lambda factory would be).
 *
 * @param <R> the request type of the server
 */
public final class NamedHandlerFactory<R> implements RequestHandlerFactory<R> {

    private final Class<?> namedClass;
    private final boolean factoryClass;
    private final Constructor<?> constructor;
    private final ReentrantLock factoryLock = new ReentrantLock();
    private volatile RequestHandlerFactory<R> factory; // the factory class's instance, once built

    private NamedHandlerFactory(Class<?> namedClass, boolean factoryClass) {
        this.namedClass = namedClass;
        this.factoryClass = factoryClass;
        this.constructor = noArgConstructor(namedClass);
    }

    /**
     * Handlers made with {@code handlerClass}'s no-arg constructor.
     *
     * @throws IllegalArgumentException if the class is abstract, an inner (non-static), local or
     *                                  anonymous class, or has no no-arg constructor
     */
    public static <R> NamedHandlerFactory<R> ofClass(Class<? extends BaseRequestHandler<R>> handlerClass) {
        return new NamedHandlerFactory<>(Objects.requireNonNull(handlerClass, "handlerClass"), false);
    }

    /**
     * Handlers made by an instance of {@code factoryClass} (built once, on first use, with its
     * no-arg constructor), for handlers that take constructor arguments.
     *
     * @throws IllegalArgumentException as {@link #ofClass}
     */
    public static <R> NamedHandlerFactory<R> ofFactory(Class<? extends RequestHandlerFactory<R>> factoryClass) {
        return new NamedHandlerFactory<>(Objects.requireNonNull(factoryClass, "factoryClass"), true);
    }

    /** The binary name of the named class (what {@link Class#forName} takes). */
    public String className() {
        return namedClass.getName();
    }

    /** Whether {@link #className()} names a {@link RequestHandlerFactory} rather than a handler. */
    public boolean isFactoryClass() {
        return factoryClass;
    }

    /**
     * A new handler: from the named class's constructor, or from the factory class's instance,
     * which is built on first use and reused (in a child JVM: one per JVM).
     */
    @Override
    @SuppressWarnings("unchecked")
    public BaseRequestHandler<R> newHandler() {
        if (factoryClass) {
            return factory().newHandler();
        }
        return (BaseRequestHandler<R>) instantiate();
    }

    @SuppressWarnings("unchecked")
    private RequestHandlerFactory<R> factory() {
        RequestHandlerFactory<R> made = factory;
        if (made == null) {
            factoryLock.lock(); // not synchronized: that would pin a virtual thread on JDK 21-23
            try {
                made = factory;
                if (made == null) {
                    made = (RequestHandlerFactory<R>) instantiate();
                    factory = made;
                }
            } finally {
                factoryLock.unlock();
            }
        }
        return made;
    }

    private Object instantiate() {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("constructor of " + className() + " failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + className(), e);
        }
    }

    private static Constructor<?> noArgConstructor(Class<?> type) {
        if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is abstract: name a concrete class");
        }
        if (type.isAnonymousClass() || type.isLocalClass() || type.isHidden()
                || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
            throw new IllegalArgumentException(type.getName() + " cannot be built by name in another JVM:"
                    + " name a top-level or static nested class (not a lambda, anonymous, local or inner class)");
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no no-arg constructor", e);
        }
    }

    @Override
    public String toString() {
        return (factoryClass ? "factory " : "handler ") + className();
    }
}
