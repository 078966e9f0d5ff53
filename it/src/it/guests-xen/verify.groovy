evaluate(new File(itSources, 'verify-guests.groovy'))
