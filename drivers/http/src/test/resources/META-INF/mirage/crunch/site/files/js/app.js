console.log("slides");
