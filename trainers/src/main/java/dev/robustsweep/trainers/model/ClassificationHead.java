package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * The sequence-classification head on the encoder's last hidden state, as Hugging Face builds it for
 * the model type (method-spec.md section 7): {@link BertHead} (BertForSequenceClassification) or
 * {@link RobertaHead} (RobertaForSequenceClassification). Input hidden [batch, seq, h] and the
 * [batch, seq] attention mask; output logits [batch, num_labels].
 */
public interface ClassificationHead {
    NDArray forward(NDArray hidden, NDArray attentionMask, ForwardContext ctx);

    /** Every parameter of the head, BERT's pooler included (all train under full fine-tuning). */
    List<Parameter> parameters();

    /**
     * The parameters of the module PEFT names {@code classifier} (modules_to_save for SEQ_CLS): they
     * train under every adapter method. BERT: classifier; RoBERTa: classifier.dense and classifier.out_proj.
     */
    List<Parameter> classifierParameters();

    /** What the result file records about the head (type, pooling, where the pooler came from). */
    Map<String, Object> describe();
}
