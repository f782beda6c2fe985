/**
 * Decoding with Hugging Face {@code generate} semantics (transformers 4.40): greedy search,
 * multinomial sampling and beam search over a batch of prompts, one key/value cache for
 * batch x beams. Entry point: {@link org.biogpt.spark.core.generate.Generator#generate}; the model
 * is reached only through {@link org.biogpt.spark.core.generate.StepModel}
 * ({@link org.biogpt.spark.core.generate.BioGptStepModel} over the DJL forward pass).
 *
 * <p>Where this deliberately differs from the reference (none of it shows in the goldens):
 * <ul>
 *   <li>Processors see a row's real tokens only: left padding takes no part in no-repeat-ngram
 *       or repetition-penalty history, so a prompt decodes the same in any batch.</li>
 *   <li>A beam hypothesis ended by eos keeps the eos id it produced; the reference writes
 *       {@code eos_token_id[0]} there when eos is a list.</li>
 *   <li>Sampling uses one random stream per (seed, prompt ids, returned-sequence index), not
 *       torch's batch-wide generator: reproducible whatever the batch, not equal to torch draws.</li>
 *   <li>Stop strings: a row stops once its decoded new text contains one (greedy and sampling).</li>
 * </ul>
 */
package org.biogpt.spark.core.generate;
