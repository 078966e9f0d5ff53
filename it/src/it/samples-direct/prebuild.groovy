evaluate(new File(itSources, 'copy-samples.groovy'))
