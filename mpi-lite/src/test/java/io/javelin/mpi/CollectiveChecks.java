package io.javelin.mpi;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs collectives on one rank of a communicator and compares every element with a sequential computation
 * that the rank makes from the inputs of all ranks (which are a function of rank, index and a seed).
 * Alternates heap arrays (viewed at an offset) and native memory; every rank of the communicator must make
 * the same calls in the same order.
 */
final class CollectiveChecks
{
    static final List<ElementType> REDUCIBLE = List.of(ElementType.INT, ElementType.LONG, ElementType.FLOAT,
        ElementType.DOUBLE);
    static final List<ElementType> ALL_TYPES = List.of(ElementType.BYTE, ElementType.INT, ElementType.LONG,
        ElementType.FLOAT, ElementType.DOUBLE);
    static final List<Op> OPS = List.of(Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.BAND, Op.BOR, Op.BXOR);

    private final Comm comm;
    private final Arena arena;
    private final int rank;
    private final int size;
    private int seed;
    private boolean heap;

    CollectiveChecks(final Comm comm, final Arena arena, final int seed)
    {
        this.comm = comm;
        this.arena = arena;
        this.rank = comm.rank();
        this.size = comm.size();
        this.seed = seed;
    }

    static boolean applies(final Op op, final ElementType type)
    {
        return !op.isBitwise() || type == ElementType.INT || type == ElementType.LONG;
    }

    private TestVector vector(final ElementType type, final int count)
    {
        heap = !heap;
        return TestVector.allocate(type, count, heap, arena);
    }

    private TestVector input(final ElementType type, final Op op, final int count, final int owner, final int s)
    {
        final TestVector v = vector(type, count);
        for (int i = 0; i < count; i++)
        {
            v.set(i, TestVector.value(type, op, owner, i, s));
        }
        return v;
    }

    private static long reduced(final ElementType type, final Op op, final int fromRank, final int toRank,
        final int i, final int s)
    {
        long result = TestVector.value(type, op, fromRank, i, s);
        for (int r = fromRank + 1; r <= toRank; r++)
        {
            result = TestVector.combine(op, type, result, TestVector.value(type, op, r, i, s));
        }
        return TestVector.normalise(type, result);
    }

    private void expect(final long expected, final TestVector v, final int i, final String what)
    {
        final long actual = v.get(i);
        if (actual != expected)
        {
            assertEquals(expected, actual, what + " at rank " + rank + " of " + size + ", element " + i +
                ": expected " + expected + " got " + actual);
        }
    }

    void barrier()
    {
        comm.barrier();
    }

    void bcast(final ElementType type, final int count, final int root)
    {
        final int s = ++seed;
        final TestVector v = rank == root ? input(type, null, count, root, s) : vector(type, count);
        comm.bcast(v.buf(), root);
        for (int i = 0; i < count; i++)
        {
            expect(TestVector.normalise(type, TestVector.value(type, null, root, i, s)), v, i,
                "bcast " + type + " x " + count + " root " + root);
        }
    }

    void reduce(final ElementType type, final Op op, final int count, final int root)
    {
        final int s = ++seed;
        final TestVector send = input(type, op, count, rank, s);
        final TestVector recv = rank == root ? vector(type, count) : null;
        comm.reduce(send.buf(), null == recv ? null : recv.buf(), op, root);
        if (rank == root)
        {
            for (int i = 0; i < count; i++)
            {
                expect(reduced(type, op, 0, size - 1, i, s), recv, i, "reduce " + op + " " + type + " x " + count);
            }
        }
    }

    void allreduce(final ElementType type, final Op op, final int count)
    {
        final int s = ++seed;
        final TestVector send = input(type, op, count, rank, s);
        final TestVector recv = vector(type, count);
        comm.allreduce(send.buf(), recv.buf(), op);
        for (int i = 0; i < count; i++)
        {
            expect(reduced(type, op, 0, size - 1, i, s), recv, i, "allreduce " + op + " " + type + " x " + count);
        }
    }

    void reduceScatterBlock(final ElementType type, final Op op, final int count)
    {
        final int s = ++seed;
        final TestVector send = input(type, op, count * size, rank, s);
        final TestVector recv = vector(type, count);
        comm.reduceScatterBlock(send.buf(), recv.buf(), op);
        for (int i = 0; i < count; i++)
        {
            expect(reduced(type, op, 0, size - 1, rank * count + i, s), recv, i,
                "reduceScatterBlock " + op + " " + type + " x " + count);
        }
    }

    void scan(final ElementType type, final Op op, final int count, final boolean inclusive)
    {
        final int s = ++seed;
        final TestVector send = input(type, op, count, rank, s);
        final TestVector recv = vector(type, count);
        if (inclusive)
        {
            comm.scan(send.buf(), recv.buf(), op);
        }
        else
        {
            comm.exscan(send.buf(), recv.buf(), op);
        }
        final String what = (inclusive ? "scan " : "exscan ") + op + " " + type + " x " + count;
        for (int i = 0; i < count; i++)
        {
            final long expected = inclusive ? reduced(type, op, 0, rank, i, s) :
                rank == 0 ? TestVector.normalise(type, TestVector.SENTINEL) : reduced(type, op, 0, rank - 1, i, s);
            expect(expected, recv, i, what);
        }
    }

    void gather(final ElementType type, final int count, final int root)
    {
        final int s = ++seed;
        final TestVector send = input(type, null, count, rank, s);
        final TestVector recv = rank == root ? vector(type, count * size) : null;
        comm.gather(send.buf(), null == recv ? null : recv.buf(), root);
        if (rank == root)
        {
            for (int r = 0; r < size; r++)
            {
                for (int i = 0; i < count; i++)
                {
                    expect(TestVector.normalise(type, TestVector.value(type, null, r, i, s)), recv, r * count + i,
                        "gather " + type + " x " + count + " root " + root);
                }
            }
        }
    }

    void scatter(final ElementType type, final int count, final int root)
    {
        final int s = ++seed;
        final TestVector send = rank == root ? input(type, null, count * size, root, s) : null;
        final TestVector recv = vector(type, count);
        comm.scatter(null == send ? null : send.buf(), recv.buf(), root);
        for (int i = 0; i < count; i++)
        {
            expect(TestVector.normalise(type, TestVector.value(type, null, root, rank * count + i, s)), recv, i,
                "scatter " + type + " x " + count + " root " + root);
        }
    }

    void allgather(final ElementType type, final int count)
    {
        final int s = ++seed;
        final TestVector send = input(type, null, count, rank, s);
        final TestVector recv = vector(type, count * size);
        comm.allgather(send.buf(), recv.buf());
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < count; i++)
            {
                expect(TestVector.normalise(type, TestVector.value(type, null, r, i, s)), recv, r * count + i,
                    "allgather " + type + " x " + count);
            }
        }
    }

    void alltoall(final ElementType type, final int count)
    {
        final int s = ++seed;
        final TestVector send = input(type, null, count * size, rank, s);
        final TestVector recv = vector(type, count * size);
        comm.alltoall(send.buf(), recv.buf());
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < count; i++)
            {
                expect(TestVector.normalise(type, TestVector.value(type, null, r, rank * count + i, s)), recv,
                    r * count + i, "alltoall " + type + " x " + count);
            }
        }
    }

    /**
     * Blocks of different lengths (some empty) with a one-element gap before each.
     */
    private int[] counts(final int base, final int variant)
    {
        final int[] counts = new int[size];
        for (int r = 0; r < size; r++)
        {
            counts[r] = (r + variant) % 3 == 0 ? 0 : base + (r * 5 + variant) % 4;
        }
        return counts;
    }

    private static int[] displacements(final int[] counts)
    {
        final int[] displacements = new int[counts.length];
        int next = 1;
        for (int r = 0; r < counts.length; r++)
        {
            displacements[r] = next;
            next += counts[r] + 1;
        }
        return displacements;
    }

    private static int extent(final int[] counts, final int[] displacements)
    {
        return displacements[counts.length - 1] + counts[counts.length - 1] + 1;
    }

    void gatherv(final ElementType type, final int base, final int root)
    {
        final int s = ++seed;
        final int[] counts = counts(base, s);
        final int[] displacements = displacements(counts);
        final TestVector send = input(type, null, counts[rank], rank, s);
        final TestVector recv = rank == root ? vector(type, extent(counts, displacements)) : null;
        comm.gatherv(send.buf(), null == recv ? null : recv.buf(), rank == root ? counts : null,
            rank == root ? displacements : null, root);
        if (rank == root)
        {
            checkBlocks(recv, counts, displacements, type, s, true, "gatherv " + type + " root " + root);
        }
    }

    void scatterv(final ElementType type, final int base, final int root)
    {
        final int s = ++seed;
        final int[] counts = counts(base, s);
        final int[] displacements = displacements(counts);
        TestVector send = null;
        if (rank == root)
        {
            send = vector(type, extent(counts, displacements));
            for (int i = 0; i < send.count(); i++)
            {
                send.set(i, TestVector.value(type, null, root, i, s));
            }
        }
        final TestVector recv = vector(type, counts[rank]);
        comm.scatterv(null == send ? null : send.buf(), rank == root ? counts : null,
            rank == root ? displacements : null, recv.buf(), root);
        for (int i = 0; i < counts[rank]; i++)
        {
            expect(TestVector.normalise(type, TestVector.value(type, null, root, displacements[rank] + i, s)), recv,
                i, "scatterv " + type + " root " + root);
        }
    }

    void allgatherv(final ElementType type, final int base)
    {
        final int s = ++seed;
        final int[] counts = counts(base, s);
        final int[] displacements = displacements(counts);
        final TestVector send = input(type, null, counts[rank], rank, s);
        final TestVector recv = vector(type, extent(counts, displacements));
        comm.allgatherv(send.buf(), recv.buf(), counts, displacements);
        checkBlocks(recv, counts, displacements, type, s, true, "allgatherv " + type);
    }

    void alltoallv(final ElementType type, final int base)
    {
        final int s = ++seed;
        // rank a sends (a + 2b + base) % 4 + base % 3 elements to rank b; element i of that block is i + 100 * b
        final int[] sendCounts = new int[size];
        final int[] recvCounts = new int[size];
        for (int r = 0; r < size; r++)
        {
            sendCounts[r] = (rank + 2 * r + base) % 4 + base % 3;
            recvCounts[r] = (r + 2 * rank + base) % 4 + base % 3;
        }
        final int[] sendDisplacements = displacements(sendCounts);
        final int[] recvDisplacements = displacements(recvCounts);
        final TestVector send = vector(type, extent(sendCounts, sendDisplacements));
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < sendCounts[r]; i++)
            {
                send.set(sendDisplacements[r] + i, TestVector.value(type, null, rank, i + 100 * r, s));
            }
        }
        final TestVector recv = vector(type, extent(recvCounts, recvDisplacements));
        comm.alltoallv(send.buf(), sendCounts, sendDisplacements, recv.buf(), recvCounts, recvDisplacements);
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < recvCounts[r]; i++)
            {
                expect(TestVector.normalise(type, TestVector.value(type, null, r, i + 100 * rank, s)), recv,
                    recvDisplacements[r] + i, "alltoallv " + type + " from " + r);
            }
        }
        expect(TestVector.normalise(type, TestVector.SENTINEL), recv, 0, "alltoallv gap");
    }

    private void checkBlocks(final TestVector recv, final int[] counts, final int[] displacements,
        final ElementType type, final int s, final boolean gaps, final String what)
    {
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < counts[r]; i++)
            {
                expect(TestVector.normalise(type, TestVector.value(type, null, r, i, s)), recv, displacements[r] + i,
                    what);
            }
            if (gaps)
            {
                expect(TestVector.normalise(type, TestVector.SENTINEL), recv, displacements[r] - 1, what + " gap");
            }
        }
    }
}
