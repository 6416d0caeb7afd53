/*
 * The native MPI side of `javelin bench compare`: the same measurements as Javelin's OsuLatency, OsuBandwidth
 * and OsuAllreduce, by the method of the OSU Micro-Benchmarks, in their output layout (comment lines start
 * with '#', data lines are the size, then the value with 2 decimals), so that one parser reads both sides.
 *
 *   latency:   ranks 0 and 1; per size, a barrier, WARMUP then ITERATIONS round trips (send, then receive
 *              the same size back); one-way latency = time of the timed round trips / (2 x ITERATIONS), us.
 *   bw:        ranks 0 and 1; per size, a barrier, then WARMUP + ITERATIONS windows: rank 0 posts WINDOW
 *              isends, rank 1 WINDOW irecvs, both wait for all, rank 1 answers with a 4-byte ack; bandwidth
 *              = size x WINDOW x ITERATIONS / time of the timed windows, MB/s with 1 MB = 10^6 bytes.
 *   allreduce: every rank; per size (at least one float), SUM of size / 4 floats, each call timed on its own
 *              and followed by an untimed barrier; latency = average over the ranks of their mean call, us.
 *
 * Sizes: MIN, then doubling (0 is followed by 1) up to MAX. Sizes above 8 KiB (OSU's LARGE_MESSAGE_SIZE) use
 * the LARGE iteration counts.
 *
 * Build: mpicc -O2 -o javelin_native_bench javelin_native_bench.c
 * Run:   mpirun -np 2 ./javelin_native_bench latency|bw|allreduce MIN MAX ITERATIONS WARMUP \
 *            LARGE_ITERATIONS LARGE_WARMUP [WINDOW]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LARGE_MESSAGE_BYTES 8192
#define ACK_BYTES 4
#define DATA_TAG 100
#define ACK_TAG 101
#define MAX_WINDOW 1024

typedef struct
{
    long min_bytes;
    long max_bytes;
    int iterations;
    int warmup;
    int large_iterations;
    int large_warmup;
    int window;
} options_t;

static int iterations_for(const options_t *options, const long size)
{
    return size > LARGE_MESSAGE_BYTES ? options->large_iterations : options->iterations;
}

static int warmup_for(const options_t *options, const long size)
{
    return size > LARGE_MESSAGE_BYTES ? options->large_warmup : options->warmup;
}

static long next_size(const long size)
{
    return 0 == size ? 1 : 2 * size;
}

static char *allocate(const long bytes)
{
    void *memory = NULL;
    const size_t length = bytes < ACK_BYTES ? ACK_BYTES : (size_t)bytes;
    if (0 != posix_memalign(&memory, 4096, length))
    {
        fprintf(stderr, "javelin_native_bench: cannot allocate %ld bytes\n", bytes);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    memset(memory, 'a', length); /* touch every page before timing */
    return memory;
}

/* Title, set-up and note comment lines, then the column names last, as OSU. */
static void header(const char *title, const char *note, const char *column)
{
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    int ranks = 0;
    MPI_Get_library_version(version, &length);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    char *newline = strchr(version, '\n');
    if (NULL != newline)
    {
        *newline = '\0';
    }
    printf("# %s\n# %s, ranks: %d\n", title, version, ranks);
    if (NULL != note)
    {
        printf("# %s\n", note);
    }
    printf("# %-8s%20s\n", "Size", column);
    fflush(stdout);
}

static void latency(const options_t *options, const int rank)
{
    char *send = allocate(options->max_bytes);
    char *receive = allocate(options->max_bytes);
    if (0 == rank)
    {
        header("Javelin native MPI Latency Test", "Latency: average one-way time (round trip / 2)",
            "Latency (us)");
    }
    for (long size = options->min_bytes; size <= options->max_bytes; size = next_size(size))
    {
        const int warmup = warmup_for(options, size);
        const int iterations = iterations_for(options, size);
        double start = 0.0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < warmup + iterations; i++)
        {
            if (i == warmup)
            {
                start = MPI_Wtime();
            }
            if (0 == rank)
            {
                MPI_Send(send, (int)size, MPI_CHAR, 1, 1, MPI_COMM_WORLD);
                MPI_Recv(receive, (int)size, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }
            else if (1 == rank)
            {
                MPI_Recv(receive, (int)size, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(send, (int)size, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
            }
        }
        if (0 == rank)
        {
            const double elapsed = MPI_Wtime() - start;
            printf("%-10ld%20.2f\n", size, elapsed * 1e6 / (2.0 * iterations));
            fflush(stdout);
        }
    }
    free(receive);
    free(send);
}

static void bandwidth(const options_t *options, const int rank)
{
    char *send = allocate(options->max_bytes);
    char *receive = allocate(options->max_bytes);
    MPI_Request requests[MAX_WINDOW];
    if (0 == rank)
    {
        char note[128];
        snprintf(note, sizeof(note), "window: %d messages from rank 0 to rank 1, then a %d-byte ack; MB = 10^6 B",
            options->window, ACK_BYTES);
        header("Javelin native MPI Bandwidth Test", note, "Bandwidth (MB/s)");
    }
    for (long size = options->min_bytes; size <= options->max_bytes; size = next_size(size))
    {
        const int warmup = warmup_for(options, size);
        const int iterations = iterations_for(options, size);
        double start = 0.0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < warmup + iterations; i++)
        {
            if (i == warmup)
            {
                start = MPI_Wtime();
            }
            if (0 == rank)
            {
                for (int j = 0; j < options->window; j++)
                {
                    MPI_Isend(send, (int)size, MPI_CHAR, 1, DATA_TAG, MPI_COMM_WORLD, &requests[j]);
                }
                MPI_Waitall(options->window, requests, MPI_STATUSES_IGNORE);
                MPI_Recv(receive, ACK_BYTES, MPI_CHAR, 1, ACK_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }
            else if (1 == rank)
            {
                for (int j = 0; j < options->window; j++)
                {
                    MPI_Irecv(receive, (int)size, MPI_CHAR, 0, DATA_TAG, MPI_COMM_WORLD, &requests[j]);
                }
                MPI_Waitall(options->window, requests, MPI_STATUSES_IGNORE);
                MPI_Send(send, ACK_BYTES, MPI_CHAR, 0, ACK_TAG, MPI_COMM_WORLD);
            }
        }
        if (0 == rank)
        {
            const double elapsed = MPI_Wtime() - start;
            printf("%-10ld%20.2f\n", size, (double)size * options->window * iterations / 1e6 / elapsed);
            fflush(stdout);
        }
    }
    free(receive);
    free(send);
}

static void allreduce(const options_t *options, const int rank, const int ranks)
{
    float *send = (float *)allocate(options->max_bytes);
    float *receive = (float *)allocate(options->max_bytes);
    if (0 == rank)
    {
        header("Javelin native MPI Allreduce Latency Test", "SUM of floats, average over the ranks",
            "Avg Latency(us)");
    }
    for (long size = options->min_bytes; size <= options->max_bytes; size = next_size(size))
    {
        const int count = (int)(size / (long)sizeof(float));
        if (count < 1)
        {
            continue;
        }
        const int warmup = warmup_for(options, size);
        const int iterations = iterations_for(options, size);
        double timed = 0.0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < warmup + iterations; i++)
        {
            const double start = MPI_Wtime();
            MPI_Allreduce(send, receive, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            const double elapsed = MPI_Wtime() - start;
            if (i >= warmup)
            {
                timed += elapsed;
            }
            MPI_Barrier(MPI_COMM_WORLD);
        }
        const double mine = timed * 1e6 / iterations;
        double sum = 0.0;
        MPI_Reduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
        if (0 == rank)
        {
            printf("%-10ld%20.2f\n", size, sum / ranks);
            fflush(stdout);
        }
    }
    free(receive);
    free(send);
}

static int parse_options(const int argc, char **argv, options_t *options)
{
    if (argc < 8)
    {
        return 0;
    }
    options->min_bytes = atol(argv[2]);
    options->max_bytes = atol(argv[3]);
    options->iterations = atoi(argv[4]);
    options->warmup = atoi(argv[5]);
    options->large_iterations = atoi(argv[6]);
    options->large_warmup = atoi(argv[7]);
    options->window = argc > 8 ? atoi(argv[8]) : 64;
    return options->min_bytes >= 0 && options->max_bytes >= options->min_bytes &&
        options->max_bytes <= (1L << 30) && options->iterations > 0 && options->warmup >= 0 &&
        options->large_iterations > 0 && options->large_warmup >= 0 && options->window > 0 &&
        options->window <= MAX_WINDOW;
}

int main(int argc, char **argv)
{
    int rank = 0;
    int ranks = 0;
    options_t options;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);

    const char *benchmark = argc > 1 ? argv[1] : "";
    const int known = 0 == strcmp(benchmark, "latency") || 0 == strcmp(benchmark, "bw") ||
        0 == strcmp(benchmark, "allreduce");
    if (!known || !parse_options(argc, argv, &options) || ranks < 2)
    {
        if (0 == rank)
        {
            fprintf(stderr, "usage: mpirun -np 2 %s latency|bw|allreduce MIN MAX ITERATIONS WARMUP "
                "LARGE_ITERATIONS LARGE_WARMUP [WINDOW (1..%d)]\n(at least 2 ranks; sizes in bytes)\n",
                argv[0], MAX_WINDOW);
        }
        MPI_Finalize();
        return 2;
    }

    if (0 == strcmp(benchmark, "latency"))
    {
        latency(&options, rank);
    }
    else if (0 == strcmp(benchmark, "bw"))
    {
        bandwidth(&options, rank);
    }
    else
    {
        allreduce(&options, rank, ranks);
    }
    MPI_Finalize();
    return 0;
}
