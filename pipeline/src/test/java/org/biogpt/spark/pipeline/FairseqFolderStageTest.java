package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.biogpt.spark.core.generate.BioGptStepModel;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.generate.Generator;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.task.PromptBuilder;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.junit.jupiter.api.Test;

/**
 * A stage and the SQL functions given a microsoft/BioGPT fairseq folder (or one .pt file of it) as
 * modelPath: the relation stage's prompts end with the checkpoint's learned tokens and its texts
 * are core's greedy generation on the same folder.
 */
class FairseqFolderStageTest {
    private static final int NEW_TOKENS = 12;
    private static final Path FOLDER = Path.of(System.getProperty("biogpt.fixtures"))
            .resolve("biogpt-tiny-fairseq/re-prompt9");

    @Test
    void relationStageOnTheFolderOrItsCheckpointFileGeneratesWhatCoreGenerates() {
        List<Row> byFolder = new RelationExtractor().setModelPath(FOLDER.toString()).setTitleCol("title")
                .setMaxNewTokens(NEW_TOKENS).setBatchSize(4).transform(RelationExtractorTest.frame(2)).collectAsList();
        List<Row> byFile = new RelationExtractor().setModelPath(FOLDER.resolve("checkpoint.pt").toString())
                .setTitleCol("title").setMaxNewTokens(NEW_TOKENS).setBatchSize(4)
                .transform(RelationExtractorTest.frame(3)).collectAsList();
        assertEquals(byFolder, byFile);

        TaskDefinition task = TaskDefinitions.builtIn("bc5cdr");
        BioGptTokenizer tokenizer = BioGptTokenizer.load(FOLDER);
        GenerationConfig greedy = GenerationConfig.load(FOLDER).withMaxNewTokens(NEW_TOKENS);
        List<Object[]> docs = RelationExtractorTest.docs();
        int checked = 0;
        try (BioGptModel model = BioGptModel.load(FOLDER); BioGptStepModel step = new BioGptStepModel(model)) {
            for (int i = 0; i < docs.size(); i++) {
                Row r = byFolder.get(i);
                String title = (String) docs.get(i)[1];
                String text = (String) docs.get(i)[2];
                if (text == null || text.isBlank() || r.isNullAt(3)) {
                    continue;
                }
                Map<String, String> fields = new HashMap<>();
                fields.put("abstract", text);
                fields.put("title", title == null ? "" : title);
                Prompt p = new PromptBuilder(task, tokenizer).build(fields);
                int[] ids = p.ids();
                assertEquals(42392, ids[ids.length - 1], "the prompt ends with learned9");
                int[] generated = new Generator(step).generate(List.of(ids), greedy).get(0).best().tokens();
                assertEquals(tokenizer.decode(generated, true), r.getStruct(3).getString(2), "row " + i);
                checked++;
            }
        }
        assertTrue(checked >= 5, checked + " rows compared");
    }
}
