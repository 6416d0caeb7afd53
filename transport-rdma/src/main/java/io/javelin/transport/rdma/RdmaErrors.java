package io.javelin.transport.rdma;

import io.javelin.transport.TransportStatus;
import io.javelin.transport.rdma.verbs.WorkCompletions;

/**
 * Turns failed work completions into transport status codes and into reasons a user can act on.
 */
final class RdmaErrors
{
    private static final int IBV_WC_LOC_LEN_ERR = 1;
    private static final int IBV_WC_LOC_PROT_ERR = 4;
    private static final int IBV_WC_LOC_ACCESS_ERR = 8;
    private static final int IBV_WC_REM_INV_REQ_ERR = 9;

    private RdmaErrors()
    {
    }

    static int completionStatus(final int wcStatus)
    {
        return switch (wcStatus)
        {
            case WorkCompletions.STATUS_REM_ACCESS_ERR, IBV_WC_REM_INV_REQ_ERR,
                WorkCompletions.STATUS_REM_INV_RD_REQ_ERR -> TransportStatus.REMOTE_ACCESS_ERROR;
            case IBV_WC_LOC_LEN_ERR, IBV_WC_LOC_PROT_ERR, IBV_WC_LOC_ACCESS_ERR -> TransportStatus.INVALID_ARGUMENT;
            default -> TransportStatus.PEER_FAILED;
        };
    }

    static String describe(final RdmaEndpoint endpoint, final byte kind, final int wcStatus, final int vendorError)
    {
        final String what = switch (kind)
        {
            case OperationTable.KIND_SEND -> "a send";
            case OperationTable.KIND_WRITE -> "an RDMA write";
            case OperationTable.KIND_READ -> "an RDMA read";
            default -> "a credit update";
        };
        final String status = WorkCompletions.statusName(wcStatus) + " (status " + wcStatus + ", vendor error 0x" +
            Integer.toHexString(vendorError) + ")";
        return switch (completionStatus(wcStatus))
        {
            case TransportStatus.REMOTE_ACCESS_ERROR -> endpoint.describe() + " refused " + what + ": " + status +
                " (unknown or deregistered key, span outside the region, or access it does not grant); an RC " +
                "connection cannot continue after an access error, so it was closed";
            case TransportStatus.INVALID_ARGUMENT -> what + " to " + endpoint.describe() + " failed locally: " +
                status + " (was the local memory deregistered while in flight?); the connection was closed";
            default -> WorkCompletions.STATUS_WR_FLUSH_ERR == wcStatus ?
                "the connection to " + endpoint.describe() + " was closed while " + what + " was in flight" :
                what + " to " + endpoint.describe() + " failed: " + status + (WorkCompletions.STATUS_RETRY_EXC_ERR ==
                wcStatus ? "; the peer stopped answering (exited, crashed, or the network is down)" : "");
        };
    }
}
