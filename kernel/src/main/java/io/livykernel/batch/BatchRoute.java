package io.livykernel.batch;

import io.livykernel.backend.livy.rest.CreateBatchRequest;
import io.livykernel.backend.livy.rest.LivyException;

/**
 * One way to run the complete request {@link BatchService} built: as a Livy batch ({@link LivyBatchRoute})
 * or through spark-submit ({@link SparkSubmitBatchRoute}). Prints what it does and returns the
 * {@link BatchExitCode} code; with {@code spec.dryRun()} it prints what it would send and sends nothing.
 */
public interface BatchRoute {
    int run(CreateBatchRequest request, SubmitSpec spec)
            throws BatchSubmissionException, LivyException, InterruptedException;
}
