package io.javelin.messaging.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The variables {@code srun} sets for every task, parsed and checked once.
 *
 * @param rank      this task's rank ({@code SLURM_PROCID}).
 * @param size      tasks in the step ({@code SLURM_STEP_NUM_TASKS}, else {@code SLURM_NTASKS}).
 * @param localRank rank among the tasks on this node ({@code SLURM_LOCALID}).
 * @param localSize tasks on this node (from {@code SLURM_STEP_TASKS_PER_NODE}).
 * @param nodes     the step's nodes, expanded from {@code SLURM_STEP_NODELIST}; the first one runs rank 0.
 * @param nodeName  this task's node ({@code SLURMD_NODENAME}), or null when Slurm did not say.
 * @param jobId     {@code SLURM_JOB_ID}.
 * @param stepId    {@code SLURM_STEP_ID}.
 * @param uid       the job's user id ({@code SLURM_JOB_UID}, else this process's).
 * @param cluster   {@code SLURM_CLUSTER_NAME}, or empty.
 */
record SlurmVariables(
    int rank,
    int size,
    int localRank,
    int localSize,
    List<String> nodes,
    String nodeName,
    String jobId,
    String stepId,
    String uid,
    String cluster)
{
    private static final String FIX = ": the process must be a task started by srun";

    static SlurmVariables parse(final Map<String, String> environment)
    {
        final String sizeName = null != environment.get("SLURM_STEP_NUM_TASKS") ?
            "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS";
        final int size = parseInt(environment, sizeName, 1, Integer.MAX_VALUE);
        final int rank = parseInt(environment, Bootstraps.SLURM_PROCID, 0, size - 1);
        final int localRank = null == environment.get("SLURM_LOCALID") ?
            0 : parseInt(environment, "SLURM_LOCALID", 0, size - 1);

        final String nodelistName = null != environment.get("SLURM_STEP_NODELIST") ?
            "SLURM_STEP_NODELIST" : "SLURM_JOB_NODELIST";
        final String nodelist = require(environment, nodelistName);
        final List<String> nodes;
        try
        {
            nodes = List.copyOf(SlurmHostlist.expand(nodelist));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BootstrapException("environment variable " + nodelistName + ": " + ex.getMessage() + FIX, ex);
        }
        if (nodes.isEmpty())
        {
            throw invalid(nodelistName, nodelist, "a list of nodes");
        }

        final String nodeName = environment.get("SLURMD_NODENAME");
        final int nodeIndex = nodeIndex(environment, nodes, nodeName);
        final int localSize = localSize(environment, nodeIndex, size);

        final String jobId = require(environment,
            null != environment.get("SLURM_JOB_ID") ? "SLURM_JOB_ID" : "SLURM_JOBID");
        final String stepId = environment.getOrDefault("SLURM_STEP_ID", environment.getOrDefault("SLURM_STEPID", "0"));
        final String uid = environment.getOrDefault("SLURM_JOB_UID", processUid());
        final String cluster = environment.getOrDefault("SLURM_CLUSTER_NAME", "");
        return new SlurmVariables(rank, size, localRank, localSize, nodes, nodeName, jobId, stepId, uid, cluster);
    }

    /**
     * @return {@code jobId.stepId}, as Slurm names a step.
     */
    String step()
    {
        return jobId + "." + stepId;
    }

    /**
     * @return the node that runs rank 0: the first node of the step (block and cyclic distributions both
     *         place task 0 there).
     */
    String rankZeroNode()
    {
        return nodes.get(0);
    }

    /**
     * @return this node's index in {@link #nodes()}: its name's position, else {@code SLURM_NODEID}, else 0.
     */
    private static int nodeIndex(final Map<String, String> environment, final List<String> nodes, final String name)
    {
        final int byName = null == name ? -1 : nodes.indexOf(name);
        if (byName >= 0)
        {
            return byName;
        }
        if (null != environment.get("SLURM_NODEID"))
        {
            return parseInt(environment, "SLURM_NODEID", 0, nodes.size() - 1);
        }
        return 0;
    }

    private static int localSize(final Map<String, String> environment, final int nodeIndex, final int size)
    {
        final String counts = environment.get("SLURM_STEP_TASKS_PER_NODE");
        if (null == counts)
        {
            return size;
        }
        try
        {
            final List<Integer> perNode = SlurmHostlist.expandCounts(counts);
            final int count = nodeIndex < perNode.size() ? perNode.get(nodeIndex) : size;
            return Math.clamp(count, 1, size);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BootstrapException("environment variable SLURM_STEP_TASKS_PER_NODE: " + ex.getMessage() + FIX,
                ex);
        }
    }

    private static String processUid()
    {
        try
        {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return System.getProperty("user.name", "");
        }
    }

    private static int parseInt(final Map<String, String> environment, final String name, final int min, final int max)
    {
        final String text = require(environment, name);
        try
        {
            final int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw invalid(name, text, "a whole number in " + min + ".." + max);
    }

    private static String require(final Map<String, String> environment, final String name)
    {
        final String value = environment.get(name);
        if (null == value || value.isBlank())
        {
            throw new BootstrapException("environment variable " + name + " is not set" + FIX);
        }
        return value.trim();
    }

    private static BootstrapException invalid(final String name, final String value, final String expected)
    {
        return new BootstrapException("environment variable " + name + "=" + value + " is not " + expected + FIX);
    }
}
