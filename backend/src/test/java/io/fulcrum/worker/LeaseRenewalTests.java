package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.experiment.RunQueue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which runs a heartbeat stops after the queue renewed some of their leases. */
class LeaseRenewalTests {

    private static RunExecution execution(long run, int attempt) {
        // the collaborators are never reached: only the lease is read
        return new RunExecution(new RunQueue.Lease(run, attempt), null, null, null, null, null, null, "w");
    }

    @Test
    void onlyRunsAskedAboutRefusedAndStillRunningAreLost() {
        RunExecution renewed = execution(1, 1);
        RunExecution taken = execution(2, 1);
        RunExecution ended = execution(3, 1);
        RunExecution claimedMeanwhile = execution(4, 1);
        RunExecution reclaimed = execution(5, 1);
        RunExecution nextAttempt = execution(5, 2);
        List<RunExecution> asked = List.of(renewed, taken, ended, reclaimed);
        // while the renewal ran, run 3 ended, run 4 was claimed (so it was not asked about), and this
        // worker took run 5 again under a newer attempt
        Map<Long, RunExecution> active = Map.of(1L, renewed, 2L, taken, 4L, claimedMeanwhile, 5L, nextAttempt);

        assertThat(WorkerNode.lost(asked, Set.of(1L), active)).containsExactly(taken);
    }
}
